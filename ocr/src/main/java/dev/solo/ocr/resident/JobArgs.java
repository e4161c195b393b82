package dev.solo.ocr.resident;

import dev.solo.ocr.engine.EngineSpec;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The arguments of the OCR verbs ({@code CLIPBOARD}, {@code STDOUT}, {@code IMAGE <length>}): what the
 * client wants, as space-separated {@code key=value} words (values URL-encoded) and the flag {@code
 * json}. For example {@code IMAGE 5120 engine=tesseract lang=deu%2Beng json}.
 *
 * <p>Keys: {@code engine}, {@code lang} (tesseract), {@code model} and {@code base} (llm). A key left
 * out means "the resident's own setting"; no arguments at all is ADR-007's bare verb. A resident that
 * reads differently from what a key asks for, or does not know a key, answers an error that starts
 * with {@link #UNSUPPORTED}; the client then runs the job itself (docs/ocr.md, "Requests").
 *
 * @param wants the settings asked for, in the order given
 * @param json whether the answer is {@code --json}'s object (IMAGE only)
 */
public record JobArgs(Map<String, String> wants, boolean json) {
    /** How every "cannot do it as asked" error begins; clients match it to fall back. */
    public static final String UNSUPPORTED = "this resident cannot honour ";

    private static final List<String> KEYS = List.of("engine", "lang", "model", "base");

    public JobArgs {
        wants = Map.copyOf(wants);
    }

    /** The arguments a client sends for {@code spec}. */
    public static String format(EngineSpec spec, boolean json) {
        List<String> words = new ArrayList<>();
        spec.arguments().forEach((k, v) -> words.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        if (json) words.add("json");
        return String.join(" ", words);
    }

    /**
     * Parses the verb's arguments.
     *
     * @throws IllegalArgumentException with an {@link #UNSUPPORTED} message for an unknown key or word
     */
    public static JobArgs parse(String args) {
        Map<String, String> wants = new LinkedHashMap<>();
        boolean json = false;
        for (String word : args.strip().split(" +")) {
            if (word.isEmpty()) continue;
            if (word.equals("json")) {
                json = true;
                continue;
            }
            int eq = word.indexOf('=');
            String key = eq < 0 ? word : word.substring(0, eq);
            if (eq < 0 || !KEYS.contains(key)) {
                throw new IllegalArgumentException(UNSUPPORTED + "the argument '" + abbreviate(word) + "': it knows "
                        + String.join(", ", KEYS) + " and json. Update solo on one side, or the client runs the job"
                        + " itself.");
            }
            try {
                wants.put(key, URLDecoder.decode(word.substring(eq + 1), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        UNSUPPORTED + "the argument '" + abbreviate(word) + "': its value is not URL-encoded text.");
            }
        }
        return new JobArgs(wants, json);
    }

    /**
     * Why a resident reading with {@code resident} cannot do what these arguments ask, as an error
     * message beginning with {@link #UNSUPPORTED}; {@code null} when it can.
     */
    public String mismatch(EngineSpec resident) {
        Map<String, String> has = resident.arguments();
        for (String key : KEYS) {
            String want = wants.get(key);
            if (want != null && !want.equals(has.getOrDefault(key, ""))) {
                return UNSUPPORTED + key + "=" + abbreviate(want) + ": it reads with "
                        + resident + ". The client runs the job itself, or restart the resident with the"
                        + " same settings as the client.";
            }
        }
        return null;
    }

    private static String abbreviate(String s) {
        s = dev.solo.ocr.engine.TextCleanup.withoutControls(s).replace('\n', ' ');
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
