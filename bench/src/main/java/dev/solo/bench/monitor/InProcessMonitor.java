package dev.solo.bench.monitor;

import dev.solo.core.ClaimResult;
import dev.solo.core.PortPolicy;
import dev.solo.core.Protocol;
import dev.solo.core.Registry;
import dev.solo.core.SingleInstance;
import dev.solo.monitor.server.MonitorConfig;
import dev.solo.monitor.server.MonitorServer;
import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A monitor served from this JVM as {@code solo monitor --foreground} serves it: solo-core claims a port,
 * {@link MonitorServer} takes the sockets, with the default {@link MonitorConfig}; the registry, token and
 * database live in a temporary directory that {@link #close()} deletes after stopping the server.
 */
final class InProcessMonitor implements AutoCloseable {
    private static final int ATTEMPTS = 50;

    private final TempDir home;
    private final MonitorServer server;
    private final String token;

    private InProcessMonitor(TempDir home, MonitorServer server, String token) {
        this.home = home;
        this.server = server;
        this.token = token;
    }

    static InProcessMonitor start() throws IOException {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        TempDir home = TempDir.create("solo-bench-monitor-");
        try {
            Registry registry = Registry.at(home.path());
            ClaimResult.Claimed claimed = claim(registry);
            MonitorConfig config = MonitorConfig.defaults(registry, "port-" + claimed.port());
            MonitorServer server = MonitorServer.start(claimed, config);
            return new InProcessMonitor(home, server, registry.token().value());
        } catch (RuntimeException | IOException e) {
            home.close();
            throw e;
        }
    }

    /** A fixed port picked at random from {@link FreePorts}'s window; the claim itself is the check. */
    private static ClaimResult.Claimed claim(Registry registry) throws IOException {
        String last = "";
        for (int i = 0; i < ATTEMPTS; i++) {
            int port = FreePorts.candidate(ThreadLocalRandom.current());
            ClaimResult r = SingleInstance.builder("solo-monitor")
                    .protocol(Protocol.HTTP)
                    .policy(PortPolicy.fixed(port))
                    .registry(registry)
                    .build()
                    .claim();
            if (r instanceof ClaimResult.Claimed c) return c;
            last = r.message();
        }
        throw new IOException("no free port for the benchmark monitor after " + ATTEMPTS + " tries; last: " + last);
    }

    int port() {
        return server.port();
    }

    String token() {
        return token;
    }

    MonitorServer server() {
        return server;
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            home.close();
        }
    }
}
