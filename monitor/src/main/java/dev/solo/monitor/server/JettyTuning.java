package dev.solo.monitor.server;

/**
 * System properties Jetty reads once, in static initialisers, set before {@link MonitorServer} first
 * touches Jetty. Each is set only when absent, so a user's {@code -D} wins.
 *
 * <ul>
 *   <li>{@value #REFERENCES_PER_CACHE_LINE}: how many object references share a 64-byte cache line, which
 *       Jetty's {@code MemoryUtils} uses to pad its queues. When it is not set, Jetty asks the platform
 *       MBean server whether compressed oops are on, and starting that server (JMX, the platform MXBeans,
 *       reflection over their interfaces, dynamic proxies) was a tenth of the monitor's time to its first
 *       {@code /health}. The answer is given here from the heap's limit: below 32 GiB the JVM uses
 *       compressed (4-byte) references unless told otherwise, so 16, else 8. A wrong guess (compressed
 *       oops turned off by hand) only changes how much padding a queue gets.
 * </ul>
 */
final class JettyTuning {
    static final String REFERENCES_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";
    private static final long COMPRESSED_OOPS_LIMIT = 32L << 30;

    private JettyTuning() {}

    static void apply() {
        if (System.getProperty(REFERENCES_PER_CACHE_LINE) == null) {
            boolean compressed = Runtime.getRuntime().maxMemory() < COMPRESSED_OOPS_LIMIT;
            System.setProperty(REFERENCES_PER_CACHE_LINE, compressed ? "16" : "8");
        }
    }
}
