package dev.solo.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One child process started by {@link Children}. Its stdout and stderr are drained by two threads into
 * line lists, so the child never blocks on a full pipe and a test can wait for a line with a deadline.
 * Its stdin stays open until {@link #closeStdin()}.
 */
public final class Child {
    private final String name;
    private final List<String> command;
    private final Process process;
    private final Object lock = new Object();
    private final List<String> out = new ArrayList<>();
    private final List<String> err = new ArrayList<>();
    private final Thread outDrain;
    private final Thread errDrain;
    private boolean outEnded;

    Child(String name, List<String> command, Process process) {
        this.name = name;
        this.command = List.copyOf(command);
        this.process = process;
        this.outDrain = drain(process.getInputStream(), out, true, "drain-out-" + name);
        this.errDrain = drain(process.getErrorStream(), err, false, "drain-err-" + name);
    }

    private Thread drain(InputStream stream, List<String> lines, boolean isOut, String threadName) {
        Thread t = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            synchronized (lock) {
                                lines.add(line);
                                lock.notifyAll();
                            }
                        }
                    } catch (IOException e) {
                        // the pipe broke: the child is gone
                    } finally {
                        synchronized (lock) {
                            if (isOut) outEnded = true;
                            lock.notifyAll();
                        }
                    }
                },
                threadName);
        t.setDaemon(true);
        t.start();
        return t;
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * The first stdout line that matches, waiting at most {@code timeout}. Fails at once, with the
     * child's output, when stdout ends without such a line.
     */
    public String awaitLine(Predicate<String> matches, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            int seen = 0;
            while (true) {
                for (; seen < out.size(); seen++) {
                    if (matches.test(out.get(seen))) return out.get(seen);
                }
                if (outEnded) throw new AssertionError(name + " ended its stdout without " + what + "\n" + dump());
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(name + " printed no " + what + " within " + timeout + "\n" + dump());
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for " + what + " of " + name, e);
                }
            }
        }
    }

    /** The first stdout line that starts with {@code prefix}. */
    public String awaitLineStartingWith(String prefix, Duration timeout) {
        return awaitLine(l -> l.startsWith(prefix), timeout, "line starting with '" + prefix + "'");
    }

    /** Waits for the exit and for the end of both output streams; fails with the output on timeout. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " did not exit within " + timeout + "\n" + dump());
            }
            outDrain.join(5_000);
            errDrain.join(5_000);
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + name + " to exit", e);
        }
    }

    /** What the child printed on stdout so far. */
    public List<String> stdout() {
        synchronized (lock) {
            return List.copyOf(out);
        }
    }

    /** What the child printed on stderr so far. */
    public List<String> stderr() {
        synchronized (lock) {
            return List.copyOf(err);
        }
    }

    public void sendLine(String line) {
        try {
            OutputStream stdin = process.getOutputStream();
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new AssertionError("cannot write to the stdin of " + name + "\n" + dump(), e);
        }
    }

    /** Closes stdin: the clean stop of a {@code LineResident}. */
    public void closeStdin() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }
    }

    /** {@code kill -9} and wait (bounded) until the process is gone. */
    public void kill9() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError(name + " (pid " + pid() + ") survived kill -9 for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while killing " + name, e);
        }
    }

    /** Everything known about the child, for failure messages. */
    public String dump() {
        StringBuilder b = new StringBuilder();
        b.append("---- child ").append(name).append(" pid ").append(process.pid());
        b.append(process.isAlive() ? " (running)" : " (exit " + process.exitValue() + ")");
        b.append("\n     ").append(String.join(" ", command)).append('\n');
        synchronized (lock) {
            for (String l : out) b.append("  out| ").append(l).append('\n');
            for (String l : err) b.append("  err| ").append(l).append('\n');
        }
        return b.toString();
    }
}
