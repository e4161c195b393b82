package dev.solo.cli.monitor;

import dev.solo.core.ClaimResult;
import dev.solo.monitor.server.MonitorConfig;
import dev.solo.monitor.server.MonitorServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * {@code solo monitor --foreground}: claims the port in this process and serves until Ctrl+C, SIGTERM
 * or {@code POST /api/shutdown}. Given a listening socket as stdin (systemd's {@code
 * StandardInput=socket}, launchd's {@code inetdCompatibility}), it serves that socket instead of
 * binding: the service manager holds the port between runs. The only class of the command that loads the server (Jetty, Jackson,
 * SQLite): the reuse path never touches it.
 */
final class Foreground {
    private Foreground() {}

    static int run(Target t, Set<String> extraHosts, PrintWriter out, PrintWriter err) {
        return run(t, extraHosts, port -> {}, out, err);
    }

    /**
     * As {@link #run(Target, Set, PrintWriter, PrintWriter)}, calling {@code serving} with the port once the
     * server answers and before this thread waits for the stop ({@code --new-port --foreground} rewrites
     * the instance's hooks there). What {@code serving} throws is reported as a warning; it never stops
     * the server.
     */
    static int run(Target t, Set<String> extraHosts, IntConsumer serving, PrintWriter out, PrintWriter err) {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        try {
            StateDirs.ownerOnly(t.registry().home());
        } catch (IOException e) {
            err.println("Error: " + e.getMessage());
            return 1;
        }
        Optional<ServerSocketChannel> inherited = inheritedSocket();
        ClaimResult claim;
        if (inherited.isPresent()) {
            try {
                claim = t.app().adopt(inherited.get()); // socket activation: the service manager holds the port
            } catch (IllegalArgumentException | IOException e) {
                err.println("Error: " + e.getMessage());
                return 1;
            }
        } else {
            claim = t.app().claim();
        }
        if (claim instanceof ClaimResult.Running r) {
            out.println(Messages.alreadyRunning(
                    Messages.url("localhost", r.identity().port())));
            return 0;
        }
        if (claim instanceof ClaimResult.ForeignService f) {
            err.println(Messages.portBusy(t));
            err.println("Details: " + f.message());
            return 1;
        }
        if (!(claim instanceof ClaimResult.Claimed claimed)) {
            err.println("Error: " + claim.message());
            return 1;
        }
        if (t.named() && t.port() != claimed.port()) {
            try {
                NamedPorts.put(t.registry().home(), t.name(), claimed.port());
            } catch (java.io.IOException e) {
                err.println("Warning: could not remember port " + claimed.port() + " for the named monitor '" + t.name()
                        + "' in " + NamedPorts.file(t.registry().home()) + " (" + e.getMessage() + "); its next start"
                        + " may get another port, and hooks installed for it would need 'solo monitor hooks refresh'.");
            }
        }
        MonitorConfig config = MonitorConfig.defaults(t.registry(), t.key()).withExtraHosts(extraHosts);
        MonitorServer server;
        try {
            server = MonitorServer.start(claimed, config);
        } catch (RuntimeException e) {
            err.println("Error: the monitor could not start on port " + claimed.port() + ": " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "monitor-signal"));
        out.println(Messages.starting("localhost", server.port()));
        out.println(Messages.running(server.port()));
        out.println("(pid " + ProcessHandle.current().pid() + ", database " + config.database()
                + "; Ctrl+C or 'solo monitor stop' stops it)");
        try {
            serving.accept(server.port());
        } catch (RuntimeException e) {
            err.println("Warning: the monitor runs on port " + server.port() + ", but " + e.getMessage());
        }
        out.flush();
        err.flush();
        try {
            server.awaitStop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.close();
        }
        out.println("Monitor on port " + server.port() + " stopped.");
        return 0;
    }

    /** The listening socket this process was given as stdin by a service manager, if any. */
    static Optional<ServerSocketChannel> inheritedSocket() {
        try {
            Channel c = System.inheritedChannel();
            return c instanceof ServerSocketChannel s ? Optional.of(s) : Optional.empty();
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }
}
