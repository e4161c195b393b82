package dev.solo.bench.monitor;

import dev.solo.core.Registry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A private copy of the launcher {@code ./solo} and the runnable jar {@code cli/target/solo.jar}, laid out
 * as in the repository, so the benchmarks run the exact commands a user runs while nobody's rebuild can
 * swap the jar underneath them, and the launcher's "sources newer than the jar" check cannot start a
 * Maven build in the middle of a measurement. The launcher records its own CDS archive next to the copy
 * on its first run, as it does for a user.
 *
 * <p>Every command runs with {@code SOLO_HOME}, {@code SOLO_MONITOR_PORT} and {@code SOLO_NO_BROWSER=1}
 * pointing at a temporary state directory. {@link #close()} stops the monitor this install started
 * (through {@code solo monitor stop}, then by its verified pid) and deletes the copy and the state.
 */
final class SoloInstall implements AutoCloseable {
    private static final Pattern PID = Pattern.compile("\"pid\":(\\d+)");

    private final TempDir dir;
    private final TempDir home;
    private final int port;
    private final Map<String, String> env;
    private Long monitorPid;

    private SoloInstall(TempDir dir, TempDir home, int port) {
        this.dir = dir;
        this.home = home;
        this.port = port;
        env = new HashMap<>(System.getenv());
        env.put("SOLO_HOME", home.path().toString());
        env.put("SOLO_MONITOR_PORT", Integer.toString(port));
        env.put("SOLO_NO_BROWSER", "1");
    }

    /** Copies {@code repo/solo} and {@code repo/cli/target/solo.jar}; the monitor will use {@code port}. */
    static SoloInstall copyOf(Path repo, int port) throws IOException {
        Path launcher = repo.resolve("solo");
        Path jar = repo.resolve("cli/target/solo.jar");
        if (!Files.isRegularFile(launcher) || !Files.isRegularFile(jar)) {
            throw new IOException("no launcher " + launcher + " or no jar " + jar
                    + "; run the monitor benchmarks from the repository root after"
                    + " './mvnw -q -pl cli -am package -DskipTests' (or one './solo --version')");
        }
        TempDir dir = TempDir.create("solo-bench-install-");
        TempDir home = TempDir.create("solo-bench-home-");
        Files.createDirectories(dir.path().resolve("cli/target"));
        Files.copy(launcher, dir.path().resolve("solo"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(jar, dir.path().resolve("cli/target/solo.jar"), StandardCopyOption.COPY_ATTRIBUTES);
        return new SoloInstall(dir, home, port);
    }

    Path launcher() {
        return dir.path().resolve("solo");
    }

    Path jar() {
        return dir.path().resolve("cli/target/solo.jar");
    }

    /** The CDS archive the launcher records on its first run. */
    Path archive() {
        return dir.path().resolve("cli/target/solo.jsa");
    }

    Path home() {
        return home.path();
    }

    int port() {
        return port;
    }

    Map<String, String> env() {
        return env;
    }

    /** Sets an environment variable for every later command (e.g. {@code JAVA_TOOL_OPTIONS}). */
    void putEnv(String name, String value) {
        env.put(name, value);
    }

    /** The pid of the monitor {@link #startMonitor()} started, or -1. */
    long monitorPid() {
        return monitorPid == null ? -1 : monitorPid;
    }

    /** The {@code java} the launcher runs: {@code $JAVA_HOME/bin/java}, else {@code java} on the PATH. */
    String java() {
        String javaHome = env.get("JAVA_HOME");
        return javaHome == null || javaHome.isEmpty() ? "java" : javaHome + "/bin/java";
    }

    String token() {
        return Registry.at(home.path()).token().value();
    }

    /** Runs {@code command}, waits up to 120 s; returns exit code and output (stdout and stderr). */
    Run run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within 120 s");
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), System.nanoTime() - t0);
    }

    /** An exit code, the output, and the wall time from spawn to exit. */
    record Run(int exit, String output, long nanos) {}

    /** {@code ./solo args...} with the temporary state. */
    Run solo(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(launcher().toString()));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    /**
     * {@code solo monitor --no-browser} with no monitor running: the first-run start, which leaves the
     * monitor serving in the background. Returns its pid, from {@code /health}.
     */
    long startMonitor() throws IOException, InterruptedException {
        Run r = solo("monitor", "--no-browser");
        if (r.exit() != 0 || !r.output().contains("Monitor running on port " + port)) {
            throw new IOException(
                    "'solo monitor --no-browser' did not start a monitor (exit " + r.exit() + "):\n" + r.output());
        }
        try (HttpConn c = new HttpConn(port, token())) {
            HttpConn.Answer health = c.get("/health");
            Matcher m = PID.matcher(health.text());
            if (health.status() != 200 || !m.find()) throw new IOException("/health answered " + health.text());
            monitorPid = Long.parseLong(m.group(1));
        }
        awaitAotTraining();
        return monitorPid;
    }

    /**
     * On JDK 25+ the first {@code solo monitor} of a build starts the AOT cache's training in the background
     * ({@code AotCache}): waits (up to 5 min) until its claim beside the jar is gone, so that no benchmark
     * measures beside it and the next start has the cache, as a user's has from then on.
     */
    private void awaitAotTraining() throws IOException, InterruptedException {
        Path claim = jar().resolveSibling("solo-monitor.aot.claim");
        if (!Files.exists(claim)) return;
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.MINUTES.toNanos(5);
        while (Files.exists(claim)) {
            if (System.nanoTime() - deadline > 0)
                throw new IOException("the AOT training still runs after 5 min: " + claim);
            Thread.sleep(100); // polling a file another process deletes, not synchronisation
        }
        System.out.printf("  AOT cache training after the first start: %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Stops the monitor this install started: {@code solo monitor stop}, then, if the process has not
     * exited within 15 s, SIGTERM and SIGKILL of its pid, once its command line shows it runs our copy.
     */
    void stopMonitor() throws IOException, InterruptedException {
        if (monitorPid == null) return;
        Optional<ProcessHandle> h = ProcessHandle.of(monitorPid);
        boolean ours = h.flatMap(p -> p.info().commandLine())
                .map(c -> c.contains(dir.path().toString()))
                .orElse(false);
        Run r = solo("monitor", "stop");
        if (h.isPresent() && ours && !exited(h.get(), 15)) {
            System.err.println("solo monitor stop did not stop pid " + monitorPid + " ("
                    + r.output().trim() + "); sending SIGTERM");
            h.get().destroy();
            if (!exited(h.get(), 10)) h.get().destroyForcibly();
        }
        monitorPid = null;
    }

    private static boolean exited(ProcessHandle h, int seconds) throws InterruptedException {
        try {
            h.onExit().get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return !h.isAlive();
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            stopMonitor();
        } finally {
            dir.close();
            home.close();
        }
    }
}
