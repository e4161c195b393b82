package dev.solo.ocr.config;

import dev.solo.core.ConfigException;
import dev.solo.core.PortPolicy;
import dev.solo.ocr.hotkey.Hotkey;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The settings of {@code solo ocr}, each with the place it came from. Precedence, highest first: a
 * command-line flag, the environment, the {@code .env} file, the default. The {@code .env} file is
 * {@code $SOLO_OCR_ENV} if set (it must exist), else {@code .env} next to the launcher ({@code
 * -Dsolo.launcher}) if there is one.
 *
 * <p>Every value is checked when the config is loaded; a bad one is a {@link ConfigException} that
 * names the key and the value. Immutable.
 */
public final class OcrConfig {
    /** Environment variable naming the {@code .env} file. */
    public static final String ENV_FILE_VARIABLE = "SOLO_OCR_ENV";

    /** Where a value came from. */
    public record Source(String label) {
        static final Source DEFAULT = new Source("default");
        static final Source ENVIRONMENT = new Source("environment");
        static final Source UNSET = new Source("unset");
    }

    /** One setting's value (or {@code null}) and its source. */
    public record Entry(Setting setting, String value, Source source) {
        /** The value as {@code solo ocr config} prints it: secrets masked, unset shown as such. */
        public String shown() {
            if (value == null) return "(unset)";
            if (setting.secret()) return value.isEmpty() ? "(empty)" : "(set, " + value.length() + " characters)";
            return value;
        }
    }

    /** The engine kinds. */
    public enum Engine {
        TESSERACT,
        LLM
    }

    /** The overlay's starting mode. */
    public enum Mode {
        RECT,
        LASSO
    }

    private final Map<Setting, Entry> entries;
    private final Optional<Path> envFile;
    private final List<String> warnings;
    private final Engine engine;
    private final Hotkey hotkey;
    private final Mode mode;
    private final PortPolicy.Range ports;
    private final Duration deadline;
    private final URI baseUrl;
    private final List<String> providers;

    private final String languages;
    private final long maxPixels;
    private final Duration popup;

    private OcrConfig(Map<Setting, Entry> entries, Optional<Path> envFile, List<String> warnings) {
        this.entries = entries;
        this.envFile = envFile;
        this.warnings = List.copyOf(warnings);
        this.engine = Checks.choice(entry(Setting.OCR_ENGINE), Engine.class);
        this.hotkey = Hotkey.parse(
                Setting.HOTKEY.name(),
                value(Setting.HOTKEY),
                source(Setting.HOTKEY).label());
        this.mode = Checks.choice(entry(Setting.DEFAULT_MODE), Mode.class);
        this.ports = Checks.ports(entry(Setting.SINGLEINSTANCE_PORT_START), entry(Setting.SINGLEINSTANCE_PORT_END));
        this.deadline = Duration.ofSeconds(Checks.wholeNumber(entry(Setting.OCR_DEADLINE_SEC), 1, 600));
        this.maxPixels = Checks.wholeNumber(entry(Setting.OCR_MAX_MEGAPIXELS), 1, 400) * 1_000_000L;
        this.popup = Duration.ofSeconds(Checks.wholeNumber(entry(Setting.OCR_POPUP_SEC), 1, 60));
        this.baseUrl = Checks.url(entry(Setting.OCR_BASE_URL));
        this.languages = Checks.languages(entry(Setting.OCR_LANG));
        String p = value(Setting.PROVIDERS);
        this.providers = p == null
                ? List.of()
                : Arrays.stream(p.split(","))
                        .map(String::strip)
                        .filter(s -> !s.isEmpty())
                        .toList();
    }

    private Entry entry(Setting s) {
        return entries.get(s);
    }

    /**
     * Loads the config.
     *
     * @param env the environment (usually {@code System.getenv()})
     * @param launcher the launcher script's path ({@code -Dsolo.launcher}), or {@code null}
     * @param flags values given on the command line, with the flag's name for the source column
     * @throws ConfigException for a bad value or an unreadable {@code .env}
     */
    public static OcrConfig load(Map<String, String> env, Path launcher, Map<Setting, Flag> flags) {
        Optional<Path> envFile = envFile(env, launcher);
        Map<String, DotEnv.Line> dotEnv = envFile.map(DotEnv::read).orElse(Map.of());
        List<String> warnings = envFile.map(f -> DotEnv.checkKeys(f, dotEnv)).orElse(List.of());
        Source dotEnvSource = new Source(".env " + envFile.map(Path::toString).orElse(""));
        Map<Setting, Entry> entries = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            Flag flag = flags.get(s);
            String fromEnv = env.get(s.name());
            String fromFile =
                    dotEnv.containsKey(s.name()) ? dotEnv.get(s.name()).value() : null;
            Entry e;
            if (flag != null) {
                e = new Entry(s, flag.value(), new Source("flag " + flag.name()));
            } else if (fromEnv != null && !fromEnv.isEmpty()) {
                e = new Entry(s, fromEnv, Source.ENVIRONMENT);
            } else if (fromFile != null && !fromFile.isEmpty()) {
                e = new Entry(s, fromFile, dotEnvSource);
            } else if (s.defaultValue() != null) {
                e = new Entry(s, s.defaultValue(), Source.DEFAULT);
            } else {
                e = new Entry(s, null, Source.UNSET);
            }
            entries.put(s, e);
        }
        return new OcrConfig(entries, envFile, warnings);
    }

    /** A value given by a command-line flag. */
    public record Flag(String name, String value) {}

    private static Optional<Path> envFile(Map<String, String> env, Path launcher) {
        String explicit = env.get(ENV_FILE_VARIABLE);
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            if (!Files.isRegularFile(p)) {
                throw new ConfigException(ENV_FILE_VARIABLE + "=" + explicit + " is not a file. Create it, or unset "
                        + ENV_FILE_VARIABLE + ".");
            }
            return Optional.of(p.toAbsolutePath());
        }
        if (launcher != null) {
            Path dir = launcher.toAbsolutePath().getParent();
            if (dir != null && Files.isRegularFile(dir.resolve(".env"))) return Optional.of(dir.resolve(".env"));
        }
        return Optional.empty();
    }

    /** What was odd but not wrong, such as unknown keys in the {@code .env} file; print them. */
    public List<String> warnings() {
        return warnings;
    }

    /** Tesseract's languages, {@code +}-separated model names such as {@code deu+eng}. */
    public String languages() {
        return languages;
    }

    /** The user's model folder: {@code OCR_TESSDATA}, else {@code <soloHome>/tessdata}. */
    public Path modelDir(Path soloHome) {
        String v = value(Setting.OCR_TESSDATA);
        return v == null || v.isBlank() ? soloHome.resolve("tessdata") : Path.of(v.strip());
    }

    /** Where {@link #modelDir} came from, for messages. */
    public String modelDirSource() {
        String v = value(Setting.OCR_TESSDATA);
        return v == null || v.isBlank()
                ? Setting.OCR_TESSDATA + " unset: the default folder"
                : Setting.OCR_TESSDATA + " from " + source(Setting.OCR_TESSDATA).label();
    }

    /** How long the popup shows the text. */
    public Duration popup() {
        return popup;
    }

    /** The most pixels a decoded image may have. */
    public long maxPixels() {
        return maxPixels;
    }

    /** Every setting in {@link Setting} order. */
    public List<Entry> entries() {
        return new ArrayList<>(entries.values());
    }

    /** The {@code .env} file that was read, if any. */
    public Optional<Path> envFile() {
        return envFile;
    }

    public Engine engine() {
        return engine;
    }

    public Hotkey hotkey() {
        return hotkey;
    }

    public Mode defaultMode() {
        return mode;
    }

    public PortPolicy.Range ports() {
        return ports;
    }

    /** How long one OCR may take. */
    public Duration deadline() {
        return deadline;
    }

    /** The chat-completions base URL, without a trailing slash. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** The llm model, or empty. */
    public Optional<String> model() {
        return Optional.ofNullable(value(Setting.MODEL)).map(String::strip).filter(s -> !s.isEmpty());
    }

    /** OpenRouter provider order; empty for the router's choice. */
    public List<String> providers() {
        return providers;
    }

    /**
     * The API key: the file of {@code --api-key-path} or {@code OPENROUTER_API_KEY_FILE} (whichever
     * {@link Setting#OPENROUTER_API_KEY_FILE} resolved to), else {@code OPENROUTER_API_KEY}; empty
     * when none is set.
     *
     * @throws ConfigException when the key file cannot be read or is empty
     */
    public Optional<String> apiKey() {
        Entry file = entries.get(Setting.OPENROUTER_API_KEY_FILE);
        if (file.value() != null && !file.value().isBlank()) {
            Path p = Path.of(file.value());
            String key;
            try {
                key = Files.readString(p, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new ConfigException("cannot read the API key file " + p + " (from "
                        + file.source().label()
                        + "): " + e.getMessage() + ". Point " + Setting.OPENROUTER_API_KEY_FILE
                        + " or --api-key-path at a readable file.");
            }
            if (key.isEmpty()) {
                throw new ConfigException(
                        "the API key file " + p + " (from " + file.source().label() + ") is empty. Put the key in it.");
            }
            return Optional.of(key);
        }
        return Optional.ofNullable(value(Setting.OPENROUTER_API_KEY))
                .map(String::strip)
                .filter(s -> !s.isEmpty());
    }

    /** The raw value of {@code s}, or {@code null}. */
    public String value(Setting s) {
        return entries.get(s).value();
    }

    /** Where {@code s} came from. */
    public Source source(Setting s) {
        return entries.get(s).source();
    }
}
