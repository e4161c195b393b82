package dev.solo.cli;

import dev.solo.cli.monitor.ReuseFast;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code solo}: the command line of the solo toolkit. Every command is a {@code Callable<Integer>} that
 * writes through picocli's {@code getOut()/getErr()}; only {@link #main} calls {@code System.exit}.
 */
@Command(
        name = "solo",
        mixinStandardHelpOptions = true,
        versionProvider = Version.Provider.class,
        description = "Programs that run once per user, and the thin clients that hand them work.",
        subcommands = {
            ListCommand.class,
            dev.solo.cli.monitor.MonitorCommand.class,
            dev.solo.cli.ocr.OcrCommand.class,
            CdsTrainingCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    /** Exit code for bad usage, as picocli and the seed agree. */
    public static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A command line with solo's error handling, for {@link #main} and for tests. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            line.getErr().println("Error: " + oneLine(ex));
            return ex instanceof UsageException ? USAGE : 1;
        });
        return cl;
    }

    /**
     * A failure as one line for the user: its message (which says what happened, with the path or port,
     * and what to do), its lines joined; never a stack trace.
     */
    static String oneLine(Throwable ex) {
        String m = ex.getMessage();
        if (m == null || m.isBlank()) m = ex.toString();
        return String.join(
                " ", m.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        int reused = ReuseFast.tryReuse(args, out, new PrintWriter(System.err, true));
        if (reused >= 0) System.exit(reused);
        System.exit(commandLine().execute(args));
    }
}
