package dev.solo.cli.monitor;

import dev.solo.core.ServiceIdentity;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code solo monitor stop}: asks the monitor to shut down through the authenticated API; if it does
 * not go within 10 s, sends SIGTERM to its pid (verified: the pid came from a /health that proved
 * the token). Returns once the port is free. Exit 0 when stopped or not running, 1 when it would not
 * stop.
 */
@Command(name = "stop", description = "Stop the monitor and wait until its port is free.")
final class StopCommand implements Callable<Integer> {
    private static final long API_WAIT_MILLIS = 10_000;
    private static final long TERM_WAIT_MILLIS = 10_000;

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
        Optional<ServiceIdentity> found = t.app().find();
        if (found.isEmpty()) {
            out.println("No solo monitor is running on " + t.describe() + ".");
            return 0;
        }
        ServiceIdentity id = found.get();
        Optional<ProcessHandle> process = ProcessHandle.of(id.pid());
        try {
            MonitorHttp.shutdown(id.port(), t.registry().token().value());
        } catch (IOException e) {
            err.println(
                    "The shutdown request failed (" + e.getMessage() + "); sending SIGTERM to pid " + id.pid() + ".");
        }
        if (!gone(id, process, API_WAIT_MILLIS)) {
            process.ifPresent(ProcessHandle::destroy);
            if (!gone(id, process, TERM_WAIT_MILLIS)) {
                err.println("Error: the monitor (pid " + id.pid() + ") still holds port " + id.port()
                        + " after SIGTERM. Stop it with 'kill -9 " + id.pid() + "'.");
                return 1;
            }
        }
        out.println("Monitor stopped (port " + id.port() + ", pid " + id.pid() + ").");
        return 0;
    }

    /** Waits until the process ended or the port refuses connections on every loopback. */
    private static boolean gone(ServiceIdentity id, Optional<ProcessHandle> process, long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() - deadline < 0) {
            boolean dead = process.map(p -> !p.isAlive()).orElse(true);
            if (dead || portFree(id.port())) {
                if (dead) return true;
                // the port is free; give the process a moment to exit, but the port is what counts
                return true;
            }
            try {
                Thread.sleep(25); // polling back-off, not synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    static boolean portFree(int port) {
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
}
