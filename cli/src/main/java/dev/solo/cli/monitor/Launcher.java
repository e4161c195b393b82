package dev.solo.cli.monitor;

import dev.solo.core.ServiceIdentity;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts the monitor in the background: the same JVM and class path running {@code monitor
 * --foreground}, stdin from the null device, output appended to the instance's log (rotated at 5 MiB,
 * three old files kept). Then polls {@code /health} while the child lives, as mvnd's connector does:
 * the child's claim decides, the parent only reports.
 */
final class Launcher {
    static final long ROTATE_AT = 5L * 1024 * 1024;
    static final int KEEP = 3;
    private static final long START_TIMEOUT_MILLIS = 30_000;

    private Launcher() {}

    /** Result of a start: the identity that answered, and whether our child is it. */
    record Started(ServiceIdentity identity, boolean ours) {}

    /**
     * Spawns the child and waits for it. Returns the identity that answers, or empty after writing
     * the child's own error lines (or a timeout message) to {@code err}.
     */
    static Optional<Started> launch(Target t, String hostOption, PrintWriter err) throws IOException {
        try {
            StateDirs.ownerOnly(t.registry().home()); // before the log is opened in it
        } catch (IOException e) {
            err.println("Error: " + e.getMessage());
            return Optional.empty();
        }
        Path log = t.log();
        rotate(log);
        try {
            StateDirs.ownerOnlyFile(log); // before the child appends to it (ProcessBuilder would make it 0644)
        } catch (IOException e) {
            err.println("Error: " + e.getMessage());
            return Optional.empty();
        }
        long offset = Files.exists(log) ? Files.size(log) : 0;
        List<String> cmd = new ArrayList<>(javaCommand());
        cmd.add("monitor");
        cmd.add("--foreground");
        cmd.add("--no-browser");
        if (t.named()) {
            cmd.add("--name");
            cmd.add(t.name());
        } else if (t.explicit()) {
            cmd.add("--port");
            cmd.add(Integer.toString(t.port()));
        }
        if (hostOption != null) {
            cmd.add("--host");
            cmd.add(hostOption);
        }
        boolean windows = System.getProperty("os.name", "")
                .toLowerCase(java.util.Locale.ROOT)
                .startsWith("windows");
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File(windows ? "NUL" : "/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true);
        pb.environment().put("SOLO_MONITOR_CHILD", "1");
        pb.environment().putAll(ChildJvm.environment()); // glibc's allocator settings for the server
        Process child = pb.start();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
        var app = t.app();
        long pause = 20;
        while (true) {
            Optional<ServiceIdentity> found = app.find();
            if (found.isPresent()) {
                boolean ours = found.get().pid() == child.pid();
                if (ours) AotCache.trainInBackground(System.getProperty("java.class.path"), ChildJvm.stateDir());
                return Optional.of(new Started(found.get(), ours));
            }
            if (!child.isAlive()) {
                found = app.find();
                if (found.isPresent()) return Optional.of(new Started(found.get(), false));
                String said = tail(log, offset).strip();
                if (!said.isEmpty()) err.println(said);
                else
                    err.println(
                            "Error: the monitor exited with code " + child.exitValue() + " while starting; see " + log);
                return Optional.empty();
            }
            if (System.nanoTime() - deadline > 0) {
                err.println("Error: the monitor (pid " + child.pid() + ") did not answer on /health within "
                        + START_TIMEOUT_MILLIS / 1000 + " s; stopped it. See its log: " + log);
                child.destroy();
                return Optional.empty();
            }
            try {
                child.waitFor(pause, TimeUnit.MILLISECONDS); // back-off between probes, ends early if it dies
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
            pause = Math.min(pause * 2, 200);
        }
    }

    /**
     * {@code java [options] -cp <this class path> dev.solo.cli.monitor.ChildMain}: the monitor server
     * child, with the JVM options of {@link ChildJvm} (heap, compiler, class-data sharing, SQLite's
     * native library) and without picocli on its way to the first {@code /health} ({@link ChildMain}).
     */
    static List<String> javaCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary());
        for (String prop : List.of("solo.home", "solo.ipv6")) {
            String v = System.getProperty(prop);
            if (v != null) cmd.add("-D" + prop + "=" + v);
        }
        String classPath = System.getProperty("java.class.path");
        cmd.addAll(ChildJvm.options(classPath));
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(ChildMain.class.getName());
        return cmd;
    }

    /** The {@code java} of this process, which runs the child too (so the child's JDK is this one). */
    static String javaBinary() {
        return ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** monitor.log → .1 → .2 → .3 once it reaches 5 MiB. */
    static void rotate(Path log) throws IOException {
        if (!Files.exists(log) || Files.size(log) < ROTATE_AT) return;
        for (int i = KEEP - 1; i >= 1; i--) {
            Path from = log.resolveSibling(log.getFileName() + "." + i);
            if (Files.exists(from)) {
                Files.move(
                        from,
                        log.resolveSibling(log.getFileName() + "." + (i + 1)),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** What the log gained after {@code offset}, at most 16 KiB. */
    static String tail(Path log, long offset) {
        try (InputStream in = Files.newInputStream(log)) {
            in.skipNBytes(offset);
            return new String(in.readNBytes(16 * 1024), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
