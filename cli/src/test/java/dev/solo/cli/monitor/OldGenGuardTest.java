package dev.solo.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link OldGenGuard} on a real JVM with the server's heap flags: objects that outlive the small young
 * generation and then die are promoted young collection after young collection; once the old generation
 * crosses the threshold, a full collection must come and the excess be given back. On JDK 17 the collector
 * does that itself; on JDK 25 only the guard does (without it: no full collection, "off none 32"). Run it
 * on a JDK 25 too: {@code -Djvm=<JDK 25>/bin/java}.
 */
@Timeout(120)
class OldGenGuardTest {
    @Test
    void theThresholdIsTwiceTheLiveDataAtLeastTheFloorAndAtMostTheMaximum() {
        long mb = 1L << 20;
        assertThat(OldGenGuard.threshold(0, 248 * mb)).isEqualTo(OldGenGuard.FLOOR_MB * mb);
        assertThat(OldGenGuard.threshold(20 * mb, 248 * mb)).isEqualTo(40 * mb);
        assertThat(OldGenGuard.threshold(200 * mb, 248 * mb)).isEqualTo(248 * mb);
        assertThat(OldGenGuard.threshold(20 * mb, -1)).isEqualTo(40 * mb);
    }

    @Test
    void theGuardCollectsTheOldGenerationOnceItCrossesTheThresholdAndGivesTheExcessBack() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd =
                new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xms16m", "-Xmx256m", "-XX:MaxNewSize=8m"));
        cmd.addAll(AotCache.runtimeOptions().stream()
                .filter(o -> o.startsWith("-XX:"))
                .toList());
        cmd.addAll(List.of("-XX:-UsePerfData", "-cp", System.getProperty("java.class.path"), Churn.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the churn ended").isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            String[] f = out.substring(out.lastIndexOf('\n') + 1).split(" ");
            assertThat(f[0]).as(out).isEqualTo("installed");
            assertThat(f[1])
                    .as("a full collection came within 30 s (" + out + ")")
                    .isEqualTo("collected");
            // JDK 25: 246 MB committed without the guard at the end of such a churn; 14 MB on JDK 17
            assertThat(Long.parseLong(f[2]))
                    .as("the old generation's committed MB after it (" + out + ")")
                    .isLessThan(32);
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * The child: installs the guard (not with an argument), promotes garbage until the old generation holds
     * 30 MB, then waits up to 30 s for a full collection and prints "installed|off collected|none MB".
     */
    public static final class Churn {
        public static void main(String[] args) throws InterruptedException {
            boolean installed = args.length == 0 && OldGenGuard.install();
            MemoryPoolMXBean old = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(m -> m.getName().equals(OldGenGuard.POOL))
                    .findFirst()
                    .orElseThrow();
            CountDownLatch full = new CountDownLatch(1);
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc.getName().equals("MarkSweepCompact"))
                    ((NotificationEmitter) gc).addNotificationListener((n, h) -> full.countDown(), null, null);
            }
            byte[][] ring = new byte[4096][]; // 4096 x 1 KiB = 4 MiB alive at a time: more than the survivors hold
            for (int i = 0; i < 600 * 1024 && old.getUsage().getUsed() < (30L << 20); i++) {
                ring[i % ring.length] = new byte[1024];
            }
            boolean collected = full.await(30, TimeUnit.SECONDS);
            System.out.println((installed ? "installed " : "off ")
                    + (collected ? "collected " : "none ")
                    + (old.getUsage().getCommitted() >> 20));
        }
    }
}
