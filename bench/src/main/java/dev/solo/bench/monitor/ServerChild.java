package dev.solo.bench.monitor;

import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The monitor's server process as {@code solo monitor} starts it, spawned directly from its recorded
 * command line ({@link #commandOf}), so a benchmark can time its start or run it with extra JVM flags.
 * {@link #close()} stops it with {@code POST /api/shutdown}, then by signal.
 */
final class ServerChild implements AutoCloseable {
    private final SoloInstall solo;
    private final Process process;
    private final long startNanos;
    private long healthyNanos = -1;

    private ServerChild(SoloInstall solo, Process process, long startNanos) {
        this.solo = solo;
        this.process = process;
        this.startNanos = startNanos;
    }

    /**
     * The command line of the server child that {@code solo monitor --no-browser} starts. A first start
     * and stop come before it, so whatever a first run records (the class-data archive, the native
     * library) is in place, as on a user's machine from the second start on.
     */
    static List<String> commandOf(SoloInstall solo) throws IOException, InterruptedException {
        solo.startMonitor();
        solo.stopMonitor();
        long pid = solo.startMonitor();
        List<String> command = ProcStat.commandLine(pid);
        solo.stopMonitor();
        if (command.isEmpty()) throw new IOException("cannot read the command line of pid " + pid);
        return command;
    }

    /**
     * Spawns {@code command} with {@code extraJvmFlags} placed after its own JVM flags (so they win),
     * and waits up to 60 s for its first 200 on {@code /health}, polling every 0.5 ms.
     */
    static ServerChild start(SoloInstall solo, List<String> command, List<String> extraJvmFlags)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(cmd.indexOf("-cp"), extraJvmFlags);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(solo.env());
        pb.environment().put("SOLO_MONITOR_CHILD", "1");
        long t0 = System.nanoTime();
        ServerChild child = new ServerChild(solo, pb.start(), t0);
        try {
            child.awaitHealthy();
            return child;
        } catch (IOException | RuntimeException e) {
            child.close();
            throw e;
        }
    }

    private void awaitHealthy() throws IOException {
        long deadline = startNanos + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (HttpConn c = new HttpConn(solo.port(), "none")) {
                if (c.get("/health").status() == 200) {
                    healthyNanos = System.nanoTime();
                    return;
                }
            } catch (ConnectException notYet) {
                // not listening yet
            }
            if (!process.isAlive()) throw new IOException("the server exited with " + process.exitValue());
            if (System.nanoTime() > deadline) throw new IOException("the server did not answer /health in 60 s");
            LockSupport.parkNanos(500_000);
        }
    }

    long pid() {
        return process.pid();
    }

    /** From the spawn to the first 200 on {@code /health}. */
    long startNanos() {
        return healthyNanos - startNanos;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            if (process.isAlive()) {
                try (HttpConn c = new HttpConn(solo.port(), solo.token())) {
                    c.post("/api/shutdown", "{}".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException alreadyGone) {
                    // stopped by itself, or not listening: the signal below
                }
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) process.destroy();
        } finally {
            if (process.isAlive() && !process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        }
    }
}
