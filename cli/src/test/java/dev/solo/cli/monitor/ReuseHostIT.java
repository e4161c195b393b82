package dev.solo.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.testing.RawHttp;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code solo monitor --host H} when a monitor runs already: it printed {@code http://H:port}, which
 * that monitor answers with 403 when it was started without {@code --host H}. Now it prints the address
 * that works and says why, naming the hosts the monitor answers to and the commands that add H; a
 * monitor started with H still gets H's URL. {@code 127.1} is a loopback name every resolver knows
 * (the JDK reads it as 127.0.0.1) and no monitor allows unless told. Real monitor, real CLI processes.
 */
class ReuseHostIT {
    @TempDir
    Path home;

    @AfterEach
    void tearDown() {
        SoloProcess.killResidents(home);
    }

    private SoloProcess.Result solo(String... args) throws Exception {
        return SoloProcess.run(home, Map.of(), List.of(), args);
    }

    @Test
    @Timeout(120)
    void aHostTheRunningMonitorRefusesGetsTheAddressThatWorksAndWhy() throws Exception {
        int port = SoloProcess.freePort();
        String p = Integer.toString(port);
        assertThat(solo("monitor", "--port", p, "--no-browser").exit()).isZero();

        var r = solo("monitor", "--port", p, "--host", "127.1", "--no-browser");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("Monitor already running at http://localhost:" + port + "\n");
        assertThat(r.err())
                .isEqualTo("Note: this monitor was started without --host 127.1, so it refuses http://127.1:" + port
                        + " (403); it answers to 127.0.0.1, [::1], localhost, hence the address above. To use '127.1',"
                        + " restart it with that name: 'solo monitor stop --port " + port + "', then 'solo monitor"
                        + " --port " + port + " --host 127.1'.\n");
        assertThat(RawHttp.send(port, "GET", "/health", Map.of("Host", "localhost:" + port), null)
                        .status())
                .isEqualTo(200);
        assertThat(RawHttp.send(port, "GET", "/health", Map.of("Host", "127.1:" + port), null)
                        .status())
                .isEqualTo(403);
    }

    @Test
    @Timeout(120)
    void aMonitorStartedWithTheHostKeepsItsUrl() throws Exception {
        int port = SoloProcess.freePort();
        String p = Integer.toString(port);
        assertThat(solo("monitor", "--port", p, "--host", "127.1", "--no-browser")
                        .exit())
                .isZero();

        var r = solo("monitor", "--port", p, "--host", "127.1", "--no-browser");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("Monitor already running at http://127.1:" + port + "\n");
        assertThat(r.err()).isEmpty();
        assertThat(RawHttp.send(port, "GET", "/health", Map.of("Host", "127.1:" + port), null)
                        .status())
                .isEqualTo(200);
    }
}
