package dev.solo.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * The full command line: picocli's model of {@link Main} and every command under it, with solo's error
 * handling. Kept out of {@link Main}'s public methods so that starting the JVM loads no picocli class
 * (see {@link Main}).
 */
public final class FullCommandLine {
    private FullCommandLine() {}

    /** A command line with solo's error handling, for {@link Main#main} and for tests. */
    public static CommandLine create() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, line, parse) -> Main.report(ex, line.getErr()));
        return cl;
    }

    /** Runs {@code args} through picocli, writing to {@code out} and {@code err}; the exit code. */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = create();
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }
}
