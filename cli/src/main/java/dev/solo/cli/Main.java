package dev.solo.cli;

import dev.solo.cli.fast.FastPath;
import dev.solo.cli.fast.LeanArchive;
import java.io.BufferedWriter;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code solo}: the command line of the solo toolkit. Every command is a {@code Callable<Integer>} that
 * writes through picocli's {@code getOut()/getErr()}; only {@link #main} calls {@code System.exit}.
 *
 * <p>This class is the JVM's entry point, so no public method of it names a picocli type: the launcher
 * looks {@code main} up by reflection, which loads the types of every public method's signature, and
 * picocli's classes are the ones class-data sharing cannot archive (their class files predate Java 6).
 * Loading one opens the whole jar, which a lean start ({@link FastPath}) never needs. {@link
 * FullCommandLine} builds picocli's model.
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
    /**
     * The exit code of a lean JVM ({@value #LEAN}{@code =true}) that leaves the command to a JVM with the
     * normal flags: it printed nothing and did nothing. No command of solo exits with it.
     */
    public static final int HAND_OFF = 100;
    /**
     * The system property the launcher sets on the JVM it starts without the JIT compilers for the lean
     * commands ({@link FastPath}): such a JVM runs {@link FastPath} only, never the full command line.
     */
    public static final String LEAN = "solo.lean";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Reports a command's failure as every command does: {@code Error: <one line>} on {@code err}; the
     * exit code ({@link #USAGE} for a {@link UsageException}, else 1).
     */
    public static int report(Throwable ex, PrintWriter err) {
        err.println("Error: " + oneLine(ex));
        err.flush();
        return ex instanceof UsageException ? USAGE : 1;
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

    /**
     * The lean start ({@link FastPath}) for the commands typed many times a day, else the full command
     * line, or, in a lean JVM ({@value #LEAN}{@code =true}), exit {@link #HAND_OFF} so that the launcher
     * runs the command in a JVM with the normal flags: the full command line (picocli's model, starting a
     * server) is heavy work for an interpreter. Both write through the same writers, made as picocli makes
     * its own (the encoding of {@code sun.stdout.encoding}/{@code sun.stderr.encoding} where the JVM sets
     * them, else the default). A lean JVM first checks that it mapped the archive the launcher gave it
     * ({@link LeanArchive}).
     */
    public static void main(String[] args) {
        if ("true".equals(System.getProperty(LEAN))) LeanArchive.dropIfUnmapped();
        PrintWriter out = writer(System.out, System.getProperty("sun.stdout.encoding"));
        PrintWriter err = writer(System.err, System.getProperty("sun.stderr.encoding"));
        int fast = FastPath.run(args, out, err);
        if (fast != FastPath.NOT_HANDLED) {
            out.flush();
            err.flush();
            System.exit(fast);
        }
        if ("true".equals(System.getProperty(LEAN))) System.exit(HAND_OFF);
        int code = FullCommandLine.run(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    private static PrintWriter writer(OutputStream stream, String encoding) {
        Charset charset = Charset.defaultCharset();
        if (encoding != null) {
            try {
                charset = Charset.forName(encoding.equalsIgnoreCase("cp65001") ? "UTF-8" : encoding);
            } catch (RuntimeException unknown) {
                // picocli falls back to the default too
            }
        }
        return new PrintWriter(new BufferedWriter(new OutputStreamWriter(stream, charset)), true);
    }
}
