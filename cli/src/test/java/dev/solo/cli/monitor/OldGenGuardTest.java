package dev.solo.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link OldGenGuard} on a real JVM with the server's heap flags: objects that outlive the small young
 * generation and then die are promoted young collection after young collection; the old generation
 * must stay well below its maximum. On JDK 17 the collector does that itself; on JDK 25 only the guard
 * does (run this test on a JDK 25, e.g. {@code -Djvm=<JDK 25>/bin/java}, to check the guard itself).
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
    void withTheGuardTheOldGenerationStaysNearTheLiveData() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd =
                new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xms16m", "-Xmx256m", "-XX:MaxNewSize=8m"));
        cmd.addAll(List.of("-XX:-ShrinkHeapInSteps", "-XX:MaxHeapFreeRatio=40", "-XX:-UsePerfData"));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Churn.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the churn ended").isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            String[] f = out.substring(out.lastIndexOf('\n') + 1).split(" ");
            assertThat(f[0]).as(out).isEqualTo("installed");
            // JDK 25, this churn: 54-111 MB with the guard (its collection comes after the JVM's notification,
            // while this loop allocates at full speed), 246 MB without; JDK 17: 14 MB either way.
            assertThat(Long.parseLong(f[1]))
                    .as("the old generation's peak committed MB (" + out + ")")
                    .isLessThan(160);
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The child: installs the guard, promotes 600 MB of garbage, prints the old generation's peak in MB. */
    public static final class Churn {
        public static void main(String[] args) {
            boolean installed = args.length == 0 && OldGenGuard.install();
            MemoryPoolMXBean old = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(m -> m.getName().equals(OldGenGuard.POOL))
                    .findFirst()
                    .orElseThrow();
            byte[][] ring = new byte[4096][]; // 4096 x 1 KiB = 4 MiB alive at a time: more than the survivors hold
            for (int i = 0; i < 600 * 1024; i++) ring[i % ring.length] = new byte[1024];
            long peak = old.getPeakUsage().getCommitted(); // the pool's peak keeps the largest committed size
            System.out.println((installed ? "installed " : "off ") + (peak >> 20));
        }
    }
}
