package dev.solo.monitor.testing;

import dev.solo.core.ClaimResult;
import dev.solo.core.PortPolicy;
import dev.solo.core.Protocol;
import dev.solo.core.Registry;
import dev.solo.core.SingleInstance;
import dev.solo.monitor.server.MonitorConfig;
import dev.solo.monitor.server.MonitorServer;
import java.util.function.UnaryOperator;

/**
 * A real monitor server in the test's JVM: it claims its port through solo-core as {@code solo
 * monitor} does, keeps its state in the test's registry, and serves real HTTP and SQLite. Close it.
 */
public final class TestMonitors {
    private TestMonitors() {}

    /** Named {@code name}, on a port the OS picks, with the default configuration. */
    public static MonitorServer start(Registry registry, String name) {
        return start(registry, name, PortPolicy.ephemeral(), UnaryOperator.identity());
    }

    /** Named {@code name}, on a port the OS picks, with the defaults changed by {@code config}. */
    public static MonitorServer start(Registry registry, String name, UnaryOperator<MonitorConfig> config) {
        return start(registry, name, PortPolicy.ephemeral(), config);
    }

    /** Named {@code name} on {@code policy} (e.g. {@code fixed(port)} to come back on the same port). */
    public static MonitorServer start(
            Registry registry, String name, PortPolicy policy, UnaryOperator<MonitorConfig> config) {
        SingleInstance app = SingleInstance.builder("solo-monitor")
                .protocol(Protocol.HTTP)
                .policy(policy)
                .name(name)
                .registry(registry)
                .build();
        ClaimResult claim = app.claim();
        if (!(claim instanceof ClaimResult.Claimed claimed)) {
            throw new IllegalStateException("cannot claim " + policy + " for the test monitor '" + name + "': "
                    + claim.getClass().getSimpleName() + ": " + claim.message());
        }
        return MonitorServer.start(claimed, config.apply(MonitorConfig.defaults(registry, "name-" + name)));
    }
}
