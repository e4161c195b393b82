package dev.solo.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link OldGenGuard} on a real JVM with the server's heap flags: objects that outlive the small young
 * generation and then die are promoted young collection after young collection; once the old generation
 * crosses the threshold, the guard's full collection ({@code System.gc()}) must come and the excess be given
 * back. On JDK 17 the collector also makes full collections of its own; on JDK 25 it makes none (without the
 * guard: "off none 32"). Only the guard's count, so the test fails without it on either JDK. Run it on a
 * JDK 25 too: {@code -Djvm=<JDK 25>/bin/java}.
 */
@Timeout(120)
class OldGenGuardTest {
    @Test
    void theThresholdIsOneAndAHalfTimesTheLiveDataAtLeastTheFloorAndAtMostTheMaximum() {
        long mb = 1L << 20;
        assertThat(OldGenGuard.threshold(0, 248 * mb)).isEqualTo(OldGenGuard.FLOOR_MB * mb);
        assertThat(OldGenGuard.threshold(20 * mb, 248 * mb)).isEqualTo(30 * mb);
        assertThat(OldGenGuard.threshold(200 * mb, 248 * mb)).isEqualTo(248 * mb);
        assertThat(OldGenGuard.threshold(20 * mb, -1)).isEqualTo(30 * mb);
    }

    @Test
    void aMistypedMeasurementPropertyLeavesTheDefault() {
        long mb = 1L << 20;
        System.setProperty(OldGenGuard.FACTOR_PROPERTY, "1,5");
        System.setProperty(OldGenGuard.FLOOR_PROPERTY, "sixteen");
        try {
            assertThat(OldGenGuard.threshold(20 * mb, 248 * mb)).isEqualTo(30 * mb);
            assertThat(OldGenGuard.threshold(0, 248 * mb)).isEqualTo(OldGenGuard.FLOOR_MB * mb);
        } finally {
            System.clearProperty(OldGenGuard.FACTOR_PROPERTY);
            System.clearProperty(OldGenGuard.FLOOR_PROPERTY);
        }
    }

    /**
     * The case the guard is for: garbage promoted young collection after young collection. On JDK 25 it
     * reaches the threshold (without the guard the old generation ends at 246 MB committed, "off none"); JDK
     * 17's collector keeps it near 10 MB itself, so there the threshold is not reached and only the bound is
     * checked.
     */
    @Test
    void garbageInTheOldGenerationIsCollectedAndTheExcessGivenBack() throws Exception {
        String[] f = churn("garbage");
        if (f[1].equals("reached")) {
            assertThat(f[2]).as("the guard's full collection came within 30 s").isEqualTo("collected");
        }
        assertThat(Long.parseLong(f[3]))
                .as("the old generation's committed MB at the end")
                .isLessThan(32);
    }

    /**
     * The guard's mechanism on any JDK: 30 MB of live data crosses the 16 MB threshold, and the guard asks for
     * a full collection (only a {@code System.gc()} counts; without the guard none comes, on 17 or 25).
     */
    @Test
    void crossingTheThresholdBringsTheGuardsFullCollection() throws Exception {
        String[] f = churn("live");
        assertThat(f[1]).isEqualTo("reached");
        assertThat(f[2]).as("the guard's full collection came within 30 s").isEqualTo("collected");
    }

    /** Runs {@link Churn} with the server's heap flags; returns its last line's words. */
    private static String[] churn(String mode) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd =
                new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xms16m", "-Xmx256m", "-XX:MaxNewSize=8m"));
        cmd.addAll(AotCache.runtimeOptions().stream()
                .filter(o -> o.startsWith("-XX:"))
                .toList());
        cmd.addAll(
                List.of("-XX:-UsePerfData", "-cp", System.getProperty("java.class.path"), Churn.class.getName(), mode));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the churn ended").isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            String[] f = out.substring(out.lastIndexOf('\n') + 1).split(" ");
            assertThat(f).as(out).hasSize(4);
            assertThat(f[0]).as(out).isEqualTo("installed");
            return f;
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * The child: installs the guard (not with a second argument "off"); then, for "garbage", promotes garbage
     * until the old generation holds 30 MB (or 600 MB were allocated), for "live" keeps 30 MB alive; waits up
     * to 30 s for the guard's full collection; prints "installed|off reached|below collected|none MB".
     */
    public static final class Churn {
        public static void main(String[] args) throws InterruptedException {
            boolean installed = args.length == 1 && OldGenGuard.install();
            MemoryPoolMXBean old = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(m -> m.getName().equals(OldGenGuard.POOL))
                    .findFirst()
                    .orElseThrow();
            CountDownLatch full = new CountDownLatch(1);
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                // the guard's collection: a full one asked for by System.gc(), which nothing else here calls (JDK
                // 17's collector makes full ones of its own too, for "Allocation Failure": they do not count)
                if (gc.getName().equals("MarkSweepCompact"))
                    ((NotificationEmitter) gc)
                            .addNotificationListener(
                                    (n, h) -> {
                                        if (GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData())
                                                .getGcCause()
                                                .equals("System.gc()")) full.countDown();
                                    },
                                    null,
                                    null);
            }
            long target = 30L << 20;
            boolean reached = false;
            List<byte[]> live = new ArrayList<>();
            byte[][] ring = new byte[4096][]; // 4096 x 1 KiB = 4 MiB alive at a time: more than the survivors hold
            for (int i = 0; i < 600 * 1024 && !reached; i++) {
                if (args[0].equals("live")) live.add(new byte[1024]);
                else ring[i % ring.length] = new byte[1024];
                reached = old.getUsage().getUsed() >= target;
            }
            boolean collected = full.await(30, TimeUnit.SECONDS);
            System.out.println((installed ? "installed " : "off ")
                    + (reached ? "reached " : "below ")
                    + (collected ? "collected " : "none ")
                    + (old.getUsage().getCommitted() >> 20));
        }
    }
}
