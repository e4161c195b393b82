package dev.solo.cli.fast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class NioProviderTest {
    /** Prints the provider a fresh JVM picks by itself (no property set). */
    public static final class PrintProvider {
        public static void main(String[] args) {
            System.out.print(SelectorProvider.provider().getClass().getName());
        }
    }

    @Test
    void namesTheProviderThisJdkPicksByItself() throws Exception {
        String named = NioProvider.platformDefault(System.getProperty("os.name"));
        assumeTrue(named != null, "no known default provider on " + System.getProperty("os.name"));
        Process p = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        PrintProvider.class.getName()))
                .redirectErrorStream(true)
                .start();
        try {
            assertThat(p.waitFor(50, TimeUnit.SECONDS))
                    .as("the child JVM exited")
                    .isTrue();
            String picked = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            // the lean start names exactly the provider the JDK chooses: nothing changes but the lookup
            assertThat(picked).isEqualTo(named);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void leavesUnknownPlatformsToTheJdk() {
        assertThat(NioProvider.platformDefault("Plan 9")).isNull();
        assertThat(NioProvider.platformDefault("Linux")).isEqualTo("sun.nio.ch.EPollSelectorProvider");
        assertThat(NioProvider.platformDefault("Mac OS X")).isEqualTo("sun.nio.ch.KQueueSelectorProvider");
        assertThat(NioProvider.platformDefault("FreeBSD")).isEqualTo("sun.nio.ch.KQueueSelectorProvider");
        assertThat(NioProvider.platformDefault("Windows 11")).isEqualTo("sun.nio.ch.WindowsSelectorProvider");
    }
}
