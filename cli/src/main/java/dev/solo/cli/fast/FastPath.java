package dev.solo.cli.fast;

import java.io.PrintWriter;

/**
 * The lean start of the commands people and scripts type many times a day: {@code solo monitor} when
 * the monitor runs, {@code solo monitor status}, {@code solo list}, {@code solo ocr --file} and {@code
 * solo ocr --run-once}. It reads their plain forms by hand and calls the very code the picocli commands
 * call, so it prints the same and exits the same, without building picocli's command model (tens of
 * milliseconds of reflection) or loading Jackson.
 *
 * <p>Anything it does not fully understand ({@code --help}, an unknown or repeated option, a usage
 * error, a number in a form other than plain decimal) it leaves alone: {@link #run} answers {@link
 * #NOT_HANDLED} before it printed or did anything, and the full command line takes over with its own
 * checks and messages. {@code -D}{@value #PROPERTY}{@code =false} turns it off (tests and benchmarks
 * compare the two paths).
 *
 * <p>No lambdas, regular expressions or {@code String.format} on these paths: each costs the JVM
 * milliseconds of class generation at start-up.
 */
public final class FastPath {
    /** What {@link #run} answers when the full command line must run. */
    public static final int NOT_HANDLED = -1;
    /** The system property that turns the lean start off ({@code false}). */
    public static final String PROPERTY = "solo.fast";

    private FastPath() {}

    /**
     * Runs {@code args} if it is one of the recognised forms; its exit code, or {@link #NOT_HANDLED}.
     * Failures past recognition are reported as {@code Main} reports them: {@code Error: <message>}.
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        if (args.length == 0 || "false".equals(System.getProperty(PROPERTY))) return NOT_HANDLED;
        String command = args[0];
        if (command.equals("monitor") || command.equals("list") || command.equals("ocr")) {
            NioProvider.useThePlatformDefault();
        }
        if (command.equals("monitor")) {
            if (args.length > 1 && args[1].equals("status")) return MonitorFast.status(args, out, err);
            return MonitorFast.reuse(args, out, err);
        }
        if (command.equals("list")) return ListFast.list(args, out, err);
        if (command.equals("ocr")) return OcrFast.client(args, out, err);
        return NOT_HANDLED;
    }
}
