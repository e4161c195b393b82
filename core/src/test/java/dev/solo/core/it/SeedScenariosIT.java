package dev.solo.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.core.InstanceRecord;
import dev.solo.core.Protocol;
import dev.solo.core.Registry;
import dev.solo.core.ServiceIdentity;
import dev.solo.core.Token;
import dev.solo.core.internal.Json;
import dev.solo.core.internal.Platform;
import dev.solo.core.testapp.FixedHttpService;
import dev.solo.testing.Child;
import dev.solo.testing.Children;
import dev.solo.testing.Ports;
import dev.solo.testing.RawHttp;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The eight items of seed 000's test list, with real child processes of {@link FixedHttpService} on
 * ports this test owns. {@code --default-port} stands in for 8765.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SeedScenariosIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final Children children = new Children();

    @TempDir
    Path dir;

    private Path home;
    private Registry registry;
    private int defaultPort;

    @BeforeEach
    void setUp() {
        home = dir.resolve("solo-home");
        registry = Registry.at(home);
        defaultPort = Ports.free();
    }

    @Test
    @DisplayName("1. first instance starts on the default port")
    void firstInstanceStarts() {
        Child first = startRunning(defaultPort, "--default-port", String.valueOf(defaultPort));

        assertThat(first.isAlive()).isTrue();
        assertThat(first.stderr()).isEmpty();
        List<InstanceRecord> records = registry.records();
        assertThat(records).hasSize(1);
        InstanceRecord r = records.get(0);
        assertThat(r.service()).isEqualTo("solo-monitor");
        assertThat(r.port()).isEqualTo(defaultPort);
        assertThat(r.pid()).isEqualTo(first.pid());
        assertThat(r.protocol()).isEqualTo(Protocol.HTTP);
    }

    @Test
    @DisplayName("2. second instance detects the first and reuses it")
    void secondInstanceReuses() {
        Child first = startRunning(defaultPort, "--default-port", String.valueOf(defaultPort));

        Child second = children.start(FixedHttpService.class, home, "--default-port", String.valueOf(defaultPort));

        assertThat(second.awaitExit(WAIT)).as(second.dump()).isZero();
        assertThat(second.stdout()).containsExactly("Monitor already running at http://localhost:" + defaultPort);
        assertThat(second.stderr()).isEmpty();
        assertThat(first.isAlive()).isTrue();
        assertThat(registry.records()).extracting(InstanceRecord::pid).containsExactly(first.pid());
    }

    @Test
    @DisplayName("3. /health returns the right service name")
    void healthReturnsServiceName() throws IOException {
        Child first = startRunning(defaultPort, "--default-port", String.valueOf(defaultPort));

        RawHttp.Reply plain = RawHttp.get(Platform.LOOPBACK_V4, defaultPort, "/health");
        assertThat(plain.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(plain.headers()).containsEntry("content-type", "application/json; charset=utf-8");
        assertThat(plain.headers()).containsEntry("connection", "close");
        Map<String, Object> json = json(plain);
        assertThat(json)
                .containsEntry("status", "running")
                .containsEntry("service", "solo-monitor")
                .containsEntry("version", "test")
                .containsEntry("port", (long) defaultPort)
                .containsEntry("pid", first.pid())
                .containsEntry("user", Platform.user())
                .containsKeys("uptime", "instance", "started")
                .doesNotContainKey("proof");

        String nonce = Token.nonce();
        RawHttp.Reply proved = RawHttp.get(Platform.LOOPBACK_V4, defaultPort, "/health?nonce=" + nonce);
        assertThat(proved.status()).isEqualTo(200);
        assertThat(json(proved))
                .containsEntry("proof", registry.token().proof(nonce, ServiceIdentity.fromMap(json(proved))));

        if (Platform.hasIpv6Loopback()) {
            RawHttp.Reply v6 = RawHttp.get(Platform.LOOPBACK_V6, defaultPort, "/health");
            assertThat(json(v6)).containsEntry("service", "solo-monitor").containsEntry("pid", first.pid());
        }
    }

    @Test
    @DisplayName("4. the port is occupied: it cannot be bound a second time")
    void portIsOccupied() {
        startRunning(defaultPort, "--default-port", String.valueOf(defaultPort));

        assertThat(Ports.bindFailure(Platform.LOOPBACK_V4, defaultPort))
                .as("binding 127.0.0.1:%d", defaultPort)
                .isNotNull()
                .hasMessageContaining("in use");
        if (Platform.hasIpv6Loopback()) {
            assertThat(Ports.bindFailure(Platform.LOOPBACK_V6, defaultPort))
                    .as("binding [::1]:%d", defaultPort)
                    .isNotNull()
                    .hasMessageContaining("in use");
        }
    }

    @Test
    @DisplayName("5a. the port is released after stop (POST /shutdown)")
    void portReleasedAfterShutdown() throws IOException {
        Child first = startRunning(defaultPort, "--default-port", String.valueOf(defaultPort));

        RawHttp.Reply refused = RawHttp.post(Platform.LOOPBACK_V4, defaultPort, "/shutdown", "Bearer nope");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(first.isAlive()).isTrue();
        assertThat(registry.records()).hasSize(1);

        RawHttp.Reply stopped = RawHttp.post(
                Platform.LOOPBACK_V4,
                defaultPort,
                "/shutdown",
                "Bearer " + registry.token().value());
        assertThat(stopped.status()).isEqualTo(200);
        assertThat(json(stopped)).containsEntry("status", "stopping");

        // The service releases the port before it answers: bind at once, no waiting.
        assertPortFree(defaultPort);
        assertThat(first.awaitExit(WAIT)).isZero();
        assertThat(first.stdout())
                .containsExactly(
                        "Starting solo monitor on localhost:" + defaultPort,
                        "Monitor running on port " + defaultPort,
                        "Monitor stopped");
        assertThat(registry.records()).isEmpty();
    }

    @Test
    @DisplayName("5b. the port is released after stop (SIGTERM)")
    void portReleasedAfterSigterm() {
        Child first = startRunning(defaultPort, "--default-port", String.valueOf(defaultPort));

        first.process().destroy(); // SIGTERM
        assertThat(first.awaitExit(WAIT)).isEqualTo(143);

        assertPortFree(defaultPort);
        assertThat(registry.records()).isEmpty();
    }

    @Test
    @DisplayName("6. an explicit port works")
    void explicitPortWorks() throws IOException {
        int explicit = Ports.free();
        Child service = startRunning(
                explicit, "--default-port", String.valueOf(defaultPort), "--port", String.valueOf(explicit));

        RawHttp.Reply health = RawHttp.get(Platform.LOOPBACK_V4, explicit, "/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(json(health))
                .containsEntry("service", "solo-monitor")
                .containsEntry("port", (long) explicit)
                .containsEntry("pid", service.pid());
        assertThat(registry.records()).extracting(InstanceRecord::port).containsExactly(explicit);
    }

    @Test
    @DisplayName("7. the default port stays free while an explicit port is used")
    void defaultPortStaysFree() {
        int explicit = Ports.free();
        startRunning(explicit, "--default-port", String.valueOf(defaultPort), "--port", String.valueOf(explicit));

        assertPortFree(defaultPort);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(Platform.LOOPBACK_V4, defaultPort), 5_000);
            throw new AssertionError("something listens on the default port " + defaultPort);
        } catch (ConnectException expected) {
            // nobody there
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @DisplayName("8. an explicit port held by another program fails: exit 1, no second service")
    void explicitPortBusy() throws IOException {
        int explicit = Ports.free();
        try (ServerSocket foreign = new ServerSocket()) {
            foreign.bind(new InetSocketAddress(Platform.LOOPBACK_V4, explicit)); // listens, never accepts

            Child service = children.start(
                    FixedHttpService.class,
                    home,
                    "--default-port",
                    String.valueOf(defaultPort),
                    "--port",
                    String.valueOf(explicit));

            assertThat(service.awaitExit(WAIT)).as(service.dump()).isEqualTo(1);
            assertThat(service.stdout()).isEmpty();
            List<String> err = service.stderr();
            assertThat(err).hasSize(3);
            assertThat(err.subList(0, 2))
                    .containsExactly(
                            "Error: Port " + explicit + " is already in use by another service.",
                            "Please stop the existing service or choose a different port.");
            assertThat(err.get(2))
                    .matches("Port " + explicit + " is held by another program that accepts connections but did"
                            + " not answer within \\d+ ms; its socket belongs to you \\(uid \\d+\\), pid "
                            + ProcessHandle.current().pid() + " \\(java\\)\\. Stop that program or choose another"
                            + " port\\.");

            assertThat(foreign.isClosed()).isFalse();
            assertThat(Ports.bindFailure(Platform.LOOPBACK_V4, explicit))
                    .as("the foreign program still holds its port")
                    .isNotNull();
            assertThat(registry.records()).as("nothing of ours registered").isEmpty();
            assertPortFree(defaultPort);
        }
    }

    /** Starts the service and waits for the seed's two start-up lines, for {@code port}. */
    private Child startRunning(int port, String... args) {
        Child c = children.start(FixedHttpService.class, home, args);
        c.awaitLineStartingWith("Monitor running on port ", WAIT);
        assertThat(c.stdout())
                .as(c.dump())
                .containsExactly("Starting solo monitor on localhost:" + port, "Monitor running on port " + port);
        return c;
    }

    private static void assertPortFree(int port) {
        assertThat(Ports.bindFailure(Platform.LOOPBACK_V4, port))
                .as("binding 127.0.0.1:%d", port)
                .isNull();
        if (Platform.hasIpv6Loopback()) {
            assertThat(Ports.bindFailure(Platform.LOOPBACK_V6, port))
                    .as("binding [::1]:%d", port)
                    .isNull();
        }
    }

    private static Map<String, Object> json(RawHttp.Reply reply) {
        return Json.parseObject(reply.body().trim());
    }
}
