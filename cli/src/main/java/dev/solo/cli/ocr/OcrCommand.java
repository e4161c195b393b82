package dev.solo.cli.ocr;

import dev.solo.cli.Version;
import dev.solo.core.ClaimResult;
import dev.solo.core.ConfigException;
import dev.solo.core.FallbackPolicy;
import dev.solo.core.Outcome;
import dev.solo.core.Registry;
import dev.solo.core.ServiceIdentity;
import dev.solo.core.SingleInstance;
import dev.solo.ocr.config.OcrConfig;
import dev.solo.ocr.config.Setting;
import dev.solo.ocr.display.DisplayLoss;
import dev.solo.ocr.engine.CancelledException;
import dev.solo.ocr.engine.EnginePool;
import dev.solo.ocr.engine.Engines;
import dev.solo.ocr.engine.OcrException;
import dev.solo.ocr.engine.TextCleanup;
import dev.solo.ocr.resident.Desktop;
import dev.solo.ocr.resident.JobArgs;
import dev.solo.ocr.resident.OcrResident;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code solo ocr}: the screen-OCR resident (seed 003, ADR-007), and its clients.
 *
 * <pre>
 * solo ocr [--background]             start the resident (hotkey, tray, IMAGE/CLIPBOARD/STDOUT)
 * solo ocr --run-once [--stdout]      select a region: through the resident, or standalone
 * solo ocr --file PATH|- [--json]     OCR an image file (through a warm resident when one runs)
 * solo ocr config                     every setting, its value and its source
 * solo ocr status | stop              is the resident running (and how) | stop it
 * </pre>
 *
 * Exit codes: 0 done (or a resident already runs), 1 failed, 2 bad usage, 3 cancelled by the user,
 * 75 the resident is busy (EX_TEMPFAIL: retry); a resident whose X server went away ends with 69
 * (EX_UNAVAILABLE). {@code status} and {@code stop} exit 3 when no resident runs.
 */
@Command(
        name = "ocr",
        mixinStandardHelpOptions = true,
        description = {
            "Screen OCR once per user: a resident with a global hotkey, and clients that delegate to it.",
            "Without options, starts the resident in the foreground (Ctrl+C stops it)."
        },
        subcommands = {OcrConfigCommand.class, OcrStatusCommand.class, OcrStopCommand.class},
        footer = {
            "",
            "Exit codes: 0 done, 1 failed, 2 bad usage, 3 cancelled by the user, 75 resident busy;",
            "a resident whose X server went away: 69. 'status' and 'stop': 3 when none runs.",
            "Settings: see 'solo ocr config' and docs/ocr.md."
        })
public final class OcrCommand implements Callable<Integer> {
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int CANCELLED = 3;
    public static final int BUSY = 75;
    /** The resident's X server went away (EX_UNAVAILABLE): it released its port and record, and ended. */
    public static final int DISPLAY_LOST = 69;

    @Spec
    CommandSpec spec;

    @Option(names = "--run-once", description = "Select a region once: delegated to the resident, else standalone.")
    boolean runOnce;

    @Option(names = "--stdout", description = "With --run-once: print the text instead of copying it.")
    boolean stdout;

    @Option(names = "--file", paramLabel = "PATH|-", description = "OCR this PNG/JPEG file ('-' reads stdin).")
    String file;

    @Option(names = "--json", description = "With --file: print JSON with text, engine and timings.")
    boolean json;

    @Option(names = "--background", description = "Start the resident detached, logging to a file, and return.")
    boolean background;

    @Option(
            names = "--default-mode",
            paramLabel = "rect|lasso",
            description = "Selection mode the overlay starts in (DEFAULT_MODE).")
    String defaultMode;

    @Option(
            names = "--api-key-path",
            paramLabel = "FILE",
            description = "File holding the llm API key (wins over OPENROUTER_API_KEY_FILE and OPENROUTER_API_KEY).")
    Path apiKeyPath;

    @Option(names = "--log", hidden = true, description = "The log file of a --background resident.")
    Path logFile;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        String usage = usageProblem();
        if (usage != null) {
            error(err, usage + " See 'solo ocr --help'.");
            return USAGE;
        }
        OcrConfig config = OcrClient.config(this, file == null, err);
        if (config == null) return FAILED;
        Registry registry = Registry.forCurrentUser();
        PrintWriter out = spec.commandLine().getOut();
        if (file != null) return new FileOcr(config, registry, out, err).run(file, json);
        if (runOnce) return new RunOnce(config, registry, stdout, out, err).run();
        if (background) return Background.start(spec, config, registry, this);
        return foreground(config, registry);
    }

    private String usageProblem() {
        if (stdout && !runOnce) return "--stdout goes with --run-once.";
        if (json && file == null) return "--json goes with --file.";
        if (file != null && runOnce) return "--file and --run-once are two different jobs; give one.";
        if (background && (runOnce || file != null)) return "--background starts the resident; it takes no job.";
        if (defaultMode != null
                && !defaultMode.strip().toLowerCase(java.util.Locale.ROOT).matches("rect|lasso")) {
            return "--default-mode must be rect or lasso, got '" + defaultMode + "'.";
        }
        return null;
    }

    /** The config with the flags of {@code command} on top. */
    static OcrConfig loadConfig(OcrCommand command) {
        Map<Setting, OcrConfig.Flag> flags = new EnumMap<>(Setting.class);
        if (command != null && command.defaultMode != null) {
            flags.put(Setting.DEFAULT_MODE, new OcrConfig.Flag("--default-mode", command.defaultMode));
        }
        if (command != null && command.apiKeyPath != null) {
            flags.put(
                    Setting.OPENROUTER_API_KEY_FILE,
                    new OcrConfig.Flag("--api-key-path", command.apiKeyPath.toString()));
        }
        String launcher = System.getProperty("solo.launcher");
        return OcrConfig.load(System.getenv(), launcher == null ? null : Path.of(launcher), flags);
    }

    /**
     * When a client runs the job itself: the default policy (nobody answered, the resident vanished
     * mid-request, or it was shutting down), and a resident that cannot honour the request's settings.
     */
    static final FallbackPolicy FALLBACK = o -> FallbackPolicy.DEFAULT.runStandalone(o)
            || (o instanceof Outcome.ResidentError e && e.error().startsWith(JobArgs.UNSUPPORTED));

    /** Says why a delegated job runs here after all; nothing when no resident was found. */
    static void sayWhyStandalone(PrintWriter err, Outcome outcome) {
        if (outcome instanceof Outcome.NoResident) return;
        // the resident's message may end a sentence ("... the same settings as the client.")
        String why = TextCleanup.withoutControls(outcome.message()).replaceAll("\\.$", "");
        err.println("solo ocr: " + why + "; running standalone.");
        err.flush();
    }

    static int residentError(PrintWriter err, Outcome.ResidentError e) {
        ServiceIdentity r = e.resident();
        if (e.busy()) {
            err.println("solo ocr: the resident on port " + r.port() + " (pid " + r.pid()
                    + ") is busy with another job; retry when it is done.");
            return BUSY;
        }
        if (e.error().startsWith(CancelledException.MESSAGE)) {
            err.println("solo ocr: " + CancelledException.MESSAGE + ".");
            return CANCELLED;
        }
        error(err, e.error());
        return FAILED;
    }

    /**
     * Prints {@code Error: message} without control characters: a message may quote an llm endpoint's
     * answer or a value a client sent, and escape sequences must not reach the terminal.
     */
    static void error(PrintWriter err, String message) {
        err.println("Error: " + TextCleanup.withoutControls(message));
        err.flush();
    }

    /** Prints {@code text} without control characters (whatever the resident sent), ending in a newline. */
    static void printText(PrintWriter out, String text) {
        text = TextCleanup.withoutControls(text);
        out.print(text);
        if (!text.endsWith("\n")) out.println();
        out.flush();
    }

    private int foreground(OcrConfig config, Registry registry) throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SingleInstance app = OcrResident.app(config, registry, Version.get(), logFile);
        Optional<ServiceIdentity> running = app.find();
        if (running.isPresent()) return alreadyRunning(out, running.get());
        Consumer<String> log = m -> {
            err.println("solo ocr: " + m);
            err.flush();
        };
        ResidentLog.route(log);
        Desktop desktop;
        EnginePool engines;
        try {
            desktop = Desktop.detect(config, log);
            engines = Engines.pool(config, registry.home());
        } catch (ConfigException | OcrException e) {
            error(err, e.getMessage());
            return FAILED;
        }
        ClaimResult claim = app.claim();
        if (!(claim instanceof ClaimResult.Claimed claimed)) {
            engines.close();
            if (claim instanceof ClaimResult.Running r) return alreadyRunning(out, r.identity());
            error(err, claim.message());
            return FAILED;
        }
        OcrResident[] holder = new OcrResident[1];
        OcrResident resident;
        try {
            resident = OcrResident.start(
                    app,
                    claimed,
                    config,
                    engines,
                    desktop,
                    log,
                    () -> new Thread(() -> holder[0].close(), "solo-ocr-exit").start());
        } catch (ConfigException e) {
            error(err, e.getMessage());
            return FAILED;
        }
        holder[0] = resident;
        Thread hook = new Thread(resident::close, "solo-ocr-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        if (desktop.interactive()) {
            DisplayLoss.onLoss(display -> displayLost(err, display, resident), DISPLAY_LOST)
                    .ifPresent(why -> log.accept("warning: an X server that goes away will end this resident"
                            + " without cleaning up (" + why + ")"));
        }
        out.println("solo ocr running on port " + resident.port() + " (pid "
                + ProcessHandle.current().pid() + ", engine " + resident.engineName() + ", hotkey "
                + (desktop.interactive() ? config.hotkey() : "none: no display")
                + "). Ctrl+C stops it.");
        out.flush();
        resident.awaitClose();
        // the X server went away: its handler says so and ends the process with DISPLAY_LOST, not 0
        if (DisplayLoss.ending()) DisplayLoss.awaitEnd();
        out.println("solo ocr stopped.");
        out.flush();
        return 0;
    }

    /**
     * The X server went away under the resident ({@link DisplayLoss}): release the port and record, and
     * say so in one line (stderr is the log file of a background resident). Touches no AWT.
     */
    private static void displayLost(PrintWriter err, String display, OcrResident resident) {
        int port = resident.port();
        resident.closeWithoutDisplay();
        err.println("Error: the X display " + display + " went away (its X server ended: the desktop session"
                + " closed, or Xvfb was stopped); solo ocr stopped, released port " + port + " and exits with code "
                + DISPLAY_LOST + ". Start it again in a running desktop session ('solo ocr --background'), or"
                + " use 'solo ocr --file', which needs no display.");
        err.flush();
    }

    static int alreadyRunning(PrintWriter out, ServiceIdentity id) {
        out.println("solo ocr already running on port " + id.port() + " (pid " + id.pid() + ").");
        out.flush();
        return 0;
    }
}
