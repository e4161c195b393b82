package dev.solo.cli;

import dev.solo.cli.fast.FastPath;
import dev.solo.cli.fast.LeanArchive;
import dev.solo.cli.monitor.MonitorCommand;
import dev.solo.cli.monitor.StatusCommand;
import dev.solo.cli.monitor.Target;
import dev.solo.core.Registry;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The training run of the lean commands' class-data-sharing archive ({@code cli/target/solo-lean.jsa}),
 * and the monitor part of {@code cds-training}. The launcher runs {@link #main} with {@code
 * -XX:DumpLoadedClassList} and then dumps a static archive of exactly the classes it listed: those of
 * the lean JVM's commands ({@link FastPath}'s recognition, {@code solo monitor} reuse and {@code solo
 * monitor status} on the same-user socket and over TCP, {@code solo list}), against a {@link
 * TrainingMonitor} in a temporary directory. It touches nothing of the user's.
 *
 * <p>Its own entry point, not a picocli command: a class list recorded through the full command line
 * would name picocli's model and every command, and the lean JVM would map them all. The size of the
 * archive is what every start pays for: this JDK relocates the archive it maps at each start (Debian's JDK
 * 17 does so by default), in time proportional to its size, and the JDK's own base archive (13 MB) with
 * a dynamic archive of ours on top cost the lean {@code status} JVM twice the relocation of {@code java
 * Hello} (docs/benchmarks.md, "Round 4 (thin clients)").
 */
public final class LeanTraining {
    private static final String[][] UNRECOGNISED = {
        {"monitor", "--cds"}, {"monitor", "status", "--cds"}, {"list", "--cds"}
    };

    private LeanTraining() {}

    /** Exit 0 when every client got its answer; nothing is printed either way. */
    public static void main(String[] args) throws IOException, NoSuchMethodException {
        Main.class.getMethod("main", String[].class); // the entry point, as the java launcher looks it up
        LeanArchive.dropIfUnmapped(); // what Main does first in a lean JVM (no archive named here)
        // the writers Main makes for the lean commands, on a sink
        PrintWriter sink = new PrintWriter(
                new BufferedWriter(new OutputStreamWriter(OutputStream.nullOutputStream(), Charset.defaultCharset())),
                true);
        for (String[] a : UNRECOGNISED) FastPath.run(a, sink, sink);
        Path home = Files.createTempDirectory("solo-cds-");
        boolean ok;
        try {
            ok = monitor(Registry.at(home), sink);
        } finally {
            delete(home.toFile());
        }
        System.exit(ok ? 0 : 1);
    }

    /**
     * {@code solo monitor} (reuse, no browser), {@code solo monitor status} and {@code solo list} against a
     * training monitor: on the same-user socket, then over TCP with the proof. True when reuse and status
     * got their answers.
     */
    static boolean monitor(Registry registry, PrintWriter sink) throws IOException {
        boolean ok = true;
        try (TrainingMonitor m = TrainingMonitor.start(registry, Version.get())) {
            Target t = new Target(m.port(), true, "", registry);
            m.serveSocket(t.app().localSocketPath());
            for (int pass = 0; pass < 2; pass++) {
                Optional<MonitorCommand.Found> found = MonitorCommand.findRunning(t);
                if (found.isEmpty()) return false;
                MonitorCommand.reuse(found.get(), t, true, sink, sink);
                ok &= StatusCommand.report(t, sink) == 0;
                ListCommand.report(registry, ListCommand.DEFAULT_TIMEOUT_MILLIS, sink, sink); // its answer varies
                m.closeSocket();
            }
        }
        return ok;
    }

    /** Deletes a directory tree of the training's own; without a stream or a lambda, as the lean JVM runs. */
    private static void delete(File f) {
        File[] children = f.listFiles();
        if (children != null) {
            for (File c : children) delete(c);
        }
        f.delete();
    }
}
