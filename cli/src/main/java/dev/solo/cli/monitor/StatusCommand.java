package dev.solo.cli.monitor;

import dev.solo.core.ClaimResult;
import dev.solo.core.ServiceIdentity;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code solo monitor status}: who holds the monitor's port, from a probe ({@code inspect()}), not from a
 * pid file. Pid, version and uptime come from the identity that proved itself; the stream and event
 * counts from the token-protected {@code GET /api/status}. The monitor's same-user socket is asked first
 * (one request, no proof: {@link LocalMonitor}); TCP with the proof when it cannot be used. A monitor of
 * ours that is still starting (as the first connection to a service's socket starts one) gets up to 15 s
 * to answer. Exit 0 running, 3 nothing on the port, 1 the
 * port is held by something that is not a working monitor of yours (named).
 */
@Command(
        mixinStandardHelpOptions = true,
        versionProvider = dev.solo.cli.Version.Provider.class,
        name = "status",
        description = "Say whether the monitor runs, and who holds its port if not.")
public final class StatusCommand implements Callable<Integer> {
    /** Exit code: nothing holds the monitor's port. */
    public static final int NOT_RUNNING = 3;
    /** How long a monitor that is starting gets to answer: a cold JVM start on a busy machine. */
    private static final long STARTING_WAIT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(15);

    @Spec
    CommandSpec spec;

    @Mixin
    TargetOptions options;

    @Override
    public Integer call() {
        return report(options.target(), spec.commandLine().getOut());
    }

    /**
     * Prints the status of {@code t}'s monitor; the exit code. Loads neither picocli nor Jackson: the
     * lean start calls it for a plain {@code solo monitor status [--port N | --name NAME]}.
     */
    public static int report(Target t, PrintWriter out) {
        String token = t.registry().token().value();
        Optional<LocalMonitor.Found> local = LocalMonitor.status(t, token); // the same-user socket first
        if (local.isPresent()) {
            MonitorHttp.Counts c = local.get().counts();
            return running(local.get().identity(), ", " + c.describe(), out);
        }
        Optional<ClaimResult> holder = t.app().inspect();
        // A monitor that is starting (the first connection to a service's socket starts one) gets its
        // start-up time to answer, rather than a "try again".
        long deadline = System.nanoTime() + STARTING_WAIT_NANOS;
        long pause = 50;
        while (holder.isPresent() && holder.get() instanceof ClaimResult.Starting && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(pause); // polling back-off while its JVM starts, not synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            pause = Math.min(pause * 2, 400);
            holder = t.app().inspect();
        }
        if (holder.isEmpty()) {
            out.println("solo monitor is not running on " + t.describe() + ".");
            return NOT_RUNNING;
        }
        if (!(holder.get() instanceof ClaimResult.Running running)) {
            out.println("solo monitor is not usable: " + Holder.describe(holder.get()));
            return 1;
        }
        ServiceIdentity id = running.identity();
        String counts;
        try {
            MonitorHttp.Counts c = MonitorHttp.status(id.port(), token);
            counts = ", " + c.describe();
        } catch (IOException e) {
            counts = "; counts unavailable: " + e.getMessage();
        }
        return running(id, counts, out);
    }

    private static int running(ServiceIdentity id, String counts, PrintWriter out) {
        out.println("solo monitor is running at " + Messages.url("localhost", id.port()) + " (pid " + id.pid()
                + ", version " + id.version() + ", up " + uptime(Duration.between(id.started(), Instant.now()))
                + counts + ").");
        return 0;
    }

    /** {@code 42s}, {@code 3m 5s}, {@code 2h 7m}; {@code solo ocr status} says it the same way. */
    public static String uptime(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) return s + "s";
        if (s < 3600) return s / 60 + "m " + s % 60 + "s";
        return s / 3600 + "h " + (s % 3600) / 60 + "m";
    }

    /** Whether nothing accepts a connection on {@code port}, on either loopback address. */
    public static boolean portFree(int port) {
        for (String a : new String[] {"127.0.0.1", "::1"}) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getByName(a), port), 200);
                return false;
            } catch (IOException refused) {
                // nobody there on this address
            }
        }
        return true;
    }

    /**
     * Waits until {@link #portFree} holds, at most {@code max} (a 25 ms polling back-off while a resident
     * closes); false when it did not, or the wait was interrupted (the flag is kept).
     */
    public static boolean portFreeWithin(int port, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!portFree(port)) {
            if (System.nanoTime() - deadline > 0) return false;
            try {
                Thread.sleep(25); // polling back-off, not synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
