package dev.solo.cli.monitor;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.management.NotificationEmitter;

/**
 * Keeps the serial collector's old generation near the server's live data on JDK {@value
 * AotCache#FIRST_FEATURE}+ (issue 14, docs/benchmarks.md "Footprint on JDK 25: the old generation").
 *
 * <p>JDK 17's serial collector also collected the old generation whenever a young collection had had to
 * expand it, so the old generation stayed near the live data (about 11 MB at a million events). JDK 25's
 * upgrades a young collection to a full one only when the old generation could not grow to its maximum
 * ({@code -Xmx} less the young generation): objects the small young generation promotes before they die
 * grow it young collection by young collection, with no full collection, up to 126 MB committed and full
 * of garbage at a million events. No JVM option brings the rule back; a lower {@code -Xmx} only moves the
 * ceiling. So this asks for it: when the old generation's use crosses {@link #threshold} ({@value #FACTOR}
 * times what the last full collection kept, at least {@value #FLOOR_MB} MB: about where JDK 17's collector
 * keeps it, whose old generation starts near 16 MB and, after a full collection, is resized to hold the live
 * data with 40 % free, 1.67 times it), the JVM's memory notification makes this
 * owned thread ({@code solo-old-gen}) request one full collection; with {@code -XX:-ShrinkHeapInSteps}
 * ({@link AotCache#runtimeOptions()}) that collection also gives the excess back at once. A full collection
 * of the server's live data takes tens of milliseconds. Where the pool has no usage threshold (another
 * collector), nothing is done.
 */
final class OldGenGuard {
    /**
     * The threshold's floor. It was 24 MB (and the factor 2) at first; 16 MB and 1.5 kept the server's heap
     * 3-6 MB smaller at the same RSS measurement (docs/benchmarks.md, "JDK 25's extra megabytes at 0 events").
     */
    static final long FLOOR_MB = 16;

    static final double FACTOR = 1.5;
    static final String POOL = "Tenured Gen";

    /** For A/B measurements only: {@code -Dsolo.monitor.oldGenGuard=false} leaves the guard out. */
    static final String PROPERTY = "solo.monitor.oldGenGuard";

    private OldGenGuard() {}

    /**
     * For A/B measurements only: {@code -Dsolo.monitor.oldGenGuard.floorMb=N} sets the threshold's floor
     * (default {@value #FLOOR_MB}); {@code -Dsolo.monitor.oldGenGuard.factor=F} the multiple of the live data
     * (default {@value #FACTOR}).
     */
    static final String FLOOR_PROPERTY = PROPERTY + ".floorMb";

    static final String FACTOR_PROPERTY = PROPERTY + ".factor";

    /** Whether {@link #PROPERTY} does not turn the guard off. */
    static boolean wanted() {
        return !"false".equals(System.getProperty(PROPERTY));
    }

    /** Installs the guard on the serial collector's old generation; false when there is none to guard. */
    static boolean install() {
        MemoryPoolMXBean old = null;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getName().equals(POOL) && p.isUsageThresholdSupported()) old = p;
        }
        if (old == null) return false;
        MemoryPoolMXBean pool = old;
        ThreadPoolExecutor thread = new ThreadPoolExecutor(
                1,
                1,
                0,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(1),
                r -> {
                    Thread t = new Thread(r, "solo-old-gen");
                    t.setDaemon(true);
                    return t;
                },
                new ThreadPoolExecutor.DiscardPolicy());
        pool.setUsageThreshold(threshold(0, pool.getUsage().getMax()));
        ((NotificationEmitter) ManagementFactory.getMemoryMXBean())
                .addNotificationListener(
                        (n, handback) -> {
                            if (n.getType().equals(MemoryNotificationInfo.MEMORY_THRESHOLD_EXCEEDED))
                                thread.execute(() -> collect(pool));
                        },
                        null,
                        null);
        return true;
    }

    private static void collect(MemoryPoolMXBean pool) {
        System.gc(); // an explicit, bounded request: see the class comment
        MemoryUsage kept = pool.getCollectionUsage();
        pool.setUsageThreshold(
                threshold(kept == null ? 0 : kept.getUsed(), pool.getUsage().getMax()));
    }

    /** {@link #FACTOR} times {@code live} bytes, at least {@link #FLOOR_MB} MB, at most {@code max} (when known). */
    static long threshold(long live, long max) {
        long floor = Long.getLong(FLOOR_PROPERTY, FLOOR_MB) << 20;
        double factor = FACTOR;
        try {
            factor = Double.parseDouble(System.getProperty(FACTOR_PROPERTY, Double.toString(FACTOR)));
        } catch (NumberFormatException e) {
            // an A/B property mistyped: the default, as Long.getLong does for the floor
        }
        long t = Math.max(floor, (long) (factor * live));
        return max > 0 ? Math.min(t, max) : t;
    }
}
