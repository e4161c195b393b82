package dev.solo.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.solo.core.Registry;
import dev.solo.testing.Prerequisite;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seed 000's eight scenarios, through the real {@code solo monitor} command in child processes. */
class MonitorCommandIT {
    @TempDir
    Path home;

    @AfterEach
    void killEverything() {
        SoloProcess.killResidents(home);
    }

    SoloProcess.Result solo(Map<String, String> env, String... args) throws Exception {
        return SoloProcess.run(home, env, List.of(), args);
    }

    static String health(int port) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    static void assertBusy(int port) {
        assertThatThrownBy(() -> new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1")).close())
                .isInstanceOf(BindException.class);
    }

    static void assertFree(int port) throws IOException {
        new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1")).close();
    }

    @Test
    void defaultPortStartsReusesAnswersHealthAndIsReleasedByStop() throws Exception {
        int port = SoloProcess.freePort();
        Map<String, String> env = Map.of("SOLO_MONITOR_PORT", Integer.toString(port));

        // 1. first instance starts on the default port
        var first = solo(env, "monitor", "--no-browser");
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out())
                .isEqualTo("Starting solo monitor on localhost:" + port + "\nMonitor running on port " + port + "\n");

        // 2. a second one detects it and reuses it
        var second = solo(env, "monitor", "--no-browser");
        assertThat(second.exit()).isZero();
        assertThat(second.out()).isEqualTo("Monitor already running at http://localhost:" + port + "\n");
        assertThat(Registry.at(home).records("solo-monitor")).hasSize(1);

        // 3. /health names our service
        String h = health(port);
        assertThat(h)
                .contains("\"service\":\"solo-monitor\"")
                .contains("\"port\":" + port)
                .contains("\"status\":\"running\"");

        // 4. the port is taken: nobody can bind it
        assertBusy(port);

        // 5. stop releases it
        var stop = solo(env, "monitor", "stop");
        assertThat(stop.exit()).as(stop.err()).isZero();
        assertThat(stop.out()).startsWith("Monitor stopped (port " + port + ", pid ");
        assertFree(port);
        var status = solo(env, "monitor", "status");
        assertThat(status.exit()).isEqualTo(3);
        assertThat(status.out()).isEqualTo("solo monitor is not running on port " + port + ".\n");
    }

    @Test
    void explicitPortWorksAndLeavesTheDefaultPortFree() throws Exception {
        int defaultPort = SoloProcess.freePort();
        int port = SoloProcess.freePort();
        Map<String, String> env = Map.of("SOLO_MONITOR_PORT", Integer.toString(defaultPort));
        // 6. an explicit port works
        var r = solo(env, "monitor", "--port", Integer.toString(port), "--no-browser");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .isEqualTo("Starting solo monitor on localhost:" + port + "\nMonitor running on port " + port + "\n");
        assertThat(health(port)).contains("\"port\":" + port);
        // 7. the default port stays free
        assertFree(defaultPort);
        var stop = solo(env, "monitor", "stop", "--port", Integer.toString(port));
        assertThat(stop.exit()).isZero();
        assertFree(port);
    }

    @Test
    void explicitPortHeldByARawListenerFailsWithTheSeedMessage() throws Exception {
        int port = SoloProcess.freePort();
        try (ServerSocket squatter = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
            // 8. explicit port busy: exit 1, nothing started, never another port
            var r = solo(Map.of(), "monitor", "--port", Integer.toString(port), "--no-browser");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.out()).isEmpty();
            assertThat(r.err().lines().findFirst().orElse(""))
                    .isEqualTo("Error: Port " + port + " is already in use by another service. Please stop the existing"
                            + " service or choose a different port.");
            assertThat(Registry.at(home).records("solo-monitor")).isEmpty();
        }
    }

    @Test
    void defaultPortHeldByAnotherHttpServiceFailsWithTheSeedMessage() throws Exception {
        int port = SoloProcess.freePort();
        HttpServer other = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 0);
        other.createContext("/", x -> {
            x.sendResponseHeaders(404, -1);
            x.close();
        });
        other.start();
        try {
            var r = solo(Map.of("SOLO_MONITOR_PORT", Integer.toString(port)), "monitor", "--no-browser");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err().lines().toList())
                    .first()
                    .isEqualTo("Error: Default port " + port + " is already in use by another service. Please stop the"
                            + " existing service with 'solo monitor stop' or specify a different port with --port.");
            assertThat(r.err())
                    .contains("Details: Port " + port + " is held by another program that is an HTTP server that"
                            + " answered 404 to GET /health; its socket belongs to you (uid ")
                    // the kernel's word on the holder: this test's JVM
                    .contains("pid " + ProcessHandle.current().pid() + " (java). Stop that program");
            assertThat(Registry.at(home).records("solo-monitor")).isEmpty();
        } finally {
            other.stop(0);
        }
    }

    @Test
    void aListenerOnIpv6LoopbackOnlyAlsoCountsAsBusy() throws Exception {
        Prerequisite.IPV6_LOOPBACK.require(); // skipped, with the reason, where there is no [::1]
        InetAddress v6 = InetAddress.getByName("::1");
        int port = SoloProcess.freePort();
        try (ServerSocket squatter = new ServerSocket(port, 50, v6)) {
            var r = solo(Map.of(), "monitor", "--port", Integer.toString(port), "--no-browser");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).startsWith("Error: Port " + port + " is already in use by another service.");
            assertFree(port); // our child let go of 127.0.0.1 again
        }
    }

    @Test
    void badUsageExitsTwo() throws Exception {
        var r = solo(Map.of(), "monitor", "--port", "70000", "--no-browser");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("Error: --port must be 1..65535, got 70000.\n");
        var both = solo(Map.of(), "monitor", "--port", "7000", "--name", "x");
        assertThat(both.exit()).isEqualTo(2);
        var host = solo(Map.of(), "monitor", "--host", "8.8.8.8", "--no-browser");
        assertThat(host.exit()).isEqualTo(2);
        assertThat(host.err()).contains("8.8.8.8").contains("not loopback");
    }

    @Test
    void namedInstanceTakesAnOsPortAndIsFoundByName() throws Exception {
        var r = solo(Map.of(), "monitor", "--name", "proj", "--no-browser");
        assertThat(r.exit()).as(r.err()).isZero();
        int port = Integer.parseInt(r.out().lines().toList().get(1).replace("Monitor running on port ", ""));
        assertThat(health(port)).contains("\"name\":\"proj\"");
        var again = solo(Map.of(), "monitor", "--name", "proj", "--no-browser");
        assertThat(again.out()).isEqualTo("Monitor already running at http://localhost:" + port + "\n");
        var list = solo(Map.of(), "monitor", "list");
        assertThat(list.out()).contains("proj").contains(Integer.toString(port));
        assertThat(solo(Map.of(), "monitor", "stop", "--name", "proj").exit()).isZero();
        assertFree(port);
    }
}
