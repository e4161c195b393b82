package dev.solo.cli.monitor;

import dev.solo.cli.monitor.service.ServiceManager;
import dev.solo.core.ClaimResult;
import dev.solo.core.ServiceIdentity;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code solo monitor stop}: asks the monitor to shut down through the authenticated API; if it does
 * not go within 10 s, sends SIGTERM to its pid. Returns once the process is gone and the port is free.
 *
 * <p>Only a monitor that proved itself ({@code inspect()}: our service, on the port dialed, this user,
 * an HMAC of a fresh nonce bound to that port and pid) gets the token or a signal, and the signal goes to
 * the pid of that proven identity only. Anything else on the port (another program, another user's
 * monitor, one of ours that does not answer) is named, left alone, and the exit code is 1: {@code stop}
 * never reports success while the port is held.
 *
 * <p>A monitor of a fixed port that runs under the service solo installed ({@code solo monitor service
 * install}) is stopped through the service manager, socket included: otherwise the socket unit (or the
 * launchd agent) still holds the port and starts the monitor again on the next connection, this
 * command's own check included. Whether it runs there is asked of the service manager, before anything
 * connects to the port ({@link ServiceManager#active()}). The service stays installed and starts at the
 * next login; {@code service uninstall} removes it.
 *
 * <p>Exit 0 when stopped or when nothing held the port; 1 otherwise.
 */
@Command(
        mixinStandardHelpOptions = true,
        versionProvider = dev.solo.cli.Version.Provider.class,
        name = "stop",
        description = "Stop the monitor and wait until its port is free.")
final class StopCommand implements Callable<Integer> {
    private static final long API_WAIT_MILLIS = 10_000;
    private static final long TERM_WAIT_MILLIS = 10_000;
    private static final long PORT_WAIT_MILLIS = 3_000;

    @Spec
    CommandSpec spec;

    @Mixin
    TargetOptions options;

    @Override
    public Integer call() {
        Target t = options.target();
        return stop(t, spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    static int stop(Target t, PrintWriter out, PrintWriter err) {
        Optional<ServiceManager> service = ServiceProgram.installed(t);
        if (service.isPresent() && service.get().active()) return stopService(t, service.get(), out, err);
        String token = t.registry().token().value();
        Optional<LocalMonitor.Found> local = LocalMonitor.status(t, token); // the same-user socket first
        Path socket = local.isPresent() ? local.get().socket() : null;
        ServiceIdentity id;
        if (local.isPresent()) {
            id = local.get().identity();
        } else {
            Optional<ClaimResult> holder = t.app().inspect();
            if (holder.isEmpty()) {
                out.println("No solo monitor is running on " + t.describe() + ".");
                return 0;
            }
            if (!(holder.get() instanceof ClaimResult.Running running)) {
                err.println("Error: " + Holder.describe(holder.get()));
                return 1;
            }
            id = running.identity();
        }
        // The handle remembers the process's start time, so a pid reused meanwhile is never signalled.
        Optional<ProcessHandle> process = ProcessHandle.of(id.pid());
        boolean asked = false;
        try {
            asked = MonitorHttp.shutdown(id.port(), socket, token) == 202;
        } catch (IOException e) {
            err.println("The shutdown request failed (" + e.getMessage() + ").");
        }
        if (!asked || !gone(id, process, API_WAIT_MILLIS)) {
            if (process.isPresent() && process.get().isAlive()) {
                err.println("Sending SIGTERM to the monitor (pid " + id.pid() + ").");
                process.get().destroy();
            }
            if (!gone(id, process, TERM_WAIT_MILLIS)) {
                err.println("Error: the monitor (pid " + id.pid() + ") still runs after SIGTERM. Stop it with 'kill -9 "
                        + id.pid() + "'.");
                return 1;
            }
        }
        if (!StatusCommand.portFreeWithin(id.port(), Duration.ofMillis(PORT_WAIT_MILLIS))) {
            Optional<ClaimResult> now = t.app().inspect();
            err.println("Error: the monitor (pid " + id.pid() + ") stopped, but "
                    + now.map(Holder::describe).orElse("port " + id.port() + " is still held"));
            return 1;
        }
        out.println("Monitor stopped (port " + id.port() + ", pid " + id.pid() + ").");
        return 0;
    }

    /** Stops the service's socket and monitor, then checks that the port is free (without starting it again). */
    private static int stopService(Target t, ServiceManager service, PrintWriter out, PrintWriter err) {
        if (service.stop(out, err) != 0) return 1;
        if (!StatusCommand.portFreeWithin(t.port(), Duration.ofMillis(PORT_WAIT_MILLIS))) {
            Optional<ClaimResult> now = t.app().inspect();
            err.println("Error: " + service.describe() + " stopped, but "
                    + now.map(Holder::describe).orElse("port " + t.port() + " is still held") + ".");
            return 1;
        }
        return 0;
    }

    /** Waits until the process ended (or, for a process we cannot see, until the port refuses). */
    private static boolean gone(ServiceIdentity id, Optional<ProcessHandle> process, long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() - deadline < 0) {
            if (process.isPresent() ? !process.get().isAlive() : StatusCommand.portFree(id.port())) return true;
            if (!pause()) return false;
        }
        return false;
    }

    private static boolean pause() {
        try {
            Thread.sleep(25); // polling back-off, not synchronisation
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
