package dev.solo.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * Job-control signals for tests that freeze a process. {@code kill -STOP} returns once the signal is
 * sent, not once the process has stopped: a test that probes the process right after it could still be
 * answered (it was, on a busy 2-core VM). {@link #stop} returns only when the OS shows it stopped.
 * Unix only ({@code kill} and {@code ps}).
 */
public final class Signals {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private Signals() {}

    /**
     * Sends SIGSTOP and waits until the process is stopped: every thread in state T where {@code /proc}
     * shows threads (a JVM's threads stop one by one), else {@code ps} showing the process in state T.
     */
    public static void stop(long pid) {
        send("STOP", pid);
        Awaitility.await("process " + pid + " stopped after SIGSTOP")
                .atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> stopped(pid));
    }

    static boolean stopped(long pid) throws IOException {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        if (!Files.isDirectory(tasks)) return state(pid).startsWith("T");
        try (Stream<Path> threads = Files.list(tasks)) {
            return threads.allMatch(Signals::threadStopped);
        }
    }

    /** The state field of /proc/PID/task/TID/stat (after the parenthesised name) is T or t; a gone thread counts. */
    private static boolean threadStopped(Path task) {
        try {
            String stat = Files.readString(task.resolve("stat"), StandardCharsets.UTF_8);
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state == 'T' || state == 't';
        } catch (IOException gone) {
            return true;
        }
    }

    /** Sends SIGCONT. */
    public static void resume(long pid) {
        send("CONT", pid);
    }

    private static void send(String signal, long pid) {
        Ran kill = run("kill", "-" + signal, Long.toString(pid));
        if (kill.exit != 0) {
            throw new AssertionError("kill -" + signal + " " + pid + " exited " + kill.exit + ": " + kill.out.strip()
                    + " (is the process still running, and is it this user's?)");
        }
    }

    /** The process's state letters from {@code ps -o stat=} (empty once it is gone). */
    static String state(long pid) {
        Ran ps = run("ps", "-o", "stat=", "-p", Long.toString(pid));
        return ps.exit == 0 ? ps.out.strip() : "";
    }

    /** A finished command: its exit status (-1 when it did not end in 10 s and was killed) and its output. */
    private record Ran(int exit, String out) {}

    private static Ran run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Ran(-1, out);
            }
            return new Ran(p.exitValue(), out);
        } catch (IOException e) {
            throw new AssertionError(String.join(" ", command) + " could not run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
