package dev.solo.monitor.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.solo.core.Registry;
import dev.solo.monitor.security.IngestKey;
import dev.solo.monitor.testing.TestMonitors;
import dev.solo.testing.OtherUser;
import dev.solo.testing.RawHttp;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may do what, against a real monitor: the token does everything, the ingest key only appends, a
 * dashboard session (from a one-time login code) only reads, and nothing else (no cookie, no token link)
 * opens anything.
 */
class AccessTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String EVENT = "{\"session_id\":\"s1\",\"hook_event_name\":\"Stop\",\"secret\":\"event-body-42\"}";

    @TempDir
    Path home;

    Registry registry;
    MonitorServer server;
    String token;
    String ingestKey;

    @BeforeEach
    void start() {
        registry = Registry.at(home);
        token = registry.token().value();
        ingestKey = IngestKey.loadOrCreate(home).value();
        server = startServer();
    }

    MonitorServer startServer() {
        return TestMonitors.start(registry, "acc", c -> c.withHeartbeat(Duration.ofMillis(200)));
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    RawHttp.Reply call(String method, String path, String authorization, String body) throws IOException {
        Map<String, String> h = new LinkedHashMap<>();
        if (authorization != null) h.put("Authorization", authorization);
        if (body != null) h.put("Content-Type", "application/json");
        return RawHttp.send(
                server.port(), method, path, h, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    String loginCode() throws IOException {
        var r = call("POST", "/api/login-code", "Bearer " + token, null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().get("content-type")).startsWith("text/plain");
        return r.body().strip();
    }

    String session() throws IOException {
        var r = call("POST", "/api/session", null, "{\"code\":\"" + loginCode() + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.headers()).doesNotContainKey("set-cookie");
        return JSON.readTree(r.body()).get("session").asText();
    }

    @Test
    void eachCredentialOpensItsOwnLevelOnly() throws Exception {
        String session = "Session " + session();
        String key = "Bearer " + ingestKey;
        String admin = "Bearer " + token;
        // appending: ingest key or token
        assertThat(call("POST", "/api/hooks", key, EVENT).status()).isEqualTo(200);
        assertThat(call("POST", "/api/events", key, "{\"namespace\":\"n\",\"event\":\"e\",\"data\":{}}")
                        .status())
                .isEqualTo(200);
        assertThat(call("POST", "/api/hooks", admin, EVENT).status()).isEqualTo(200);
        assertThat(call("POST", "/api/hooks", session, EVENT).status()).isEqualTo(403);
        assertThat(call("POST", "/api/hooks", null, EVENT).status()).isEqualTo(401);
        assertThat(call("POST", "/api/hooks", "Bearer solo-ingest-" + "0".repeat(64), EVENT)
                        .status())
                .isEqualTo(401);
        // reading: session or token; the ingest key gets 403 and not a byte of an event
        for (String path : new String[] {
            "/api/events",
            "/api/events/1",
            "/api/streams",
            "/api/streams/s1",
            "/api/streams/s1/export",
            "/api/event-names",
            "/api/status",
            "/api/live"
        }) {
            var byKey = call("GET", path, key, null);
            assertThat(byKey.status()).as("ingest key on " + path).isEqualTo(403);
            assertThat(byKey.body()).doesNotContain("event-body-42").contains("can only append events");
            assertThat(call("GET", path, null, null).status())
                    .as("nothing on " + path)
                    .isEqualTo(401);
            assertThat(call("GET", path, "Bearer " + "1".repeat(64), null).status())
                    .as("a wrong token on " + path)
                    .isEqualTo(401);
            if (!path.equals("/api/live")) {
                assertThat(call("GET", path, session, null).status())
                        .as("session on " + path)
                        .isEqualTo(200);
                assertThat(call("GET", path, admin, null).status())
                        .as("token on " + path)
                        .isEqualTo(200);
            }
        }
        // acting on the monitor: token only
        for (String path : new String[] {"/api/login-code", "/api/shutdown"}) {
            assertThat(call("POST", path, key, null).status())
                    .as("ingest key on " + path)
                    .isEqualTo(403);
            assertThat(call("POST", path, session, null).status())
                    .as("session on " + path)
                    .isEqualTo(403);
            assertThat(call("POST", path, null, null).status())
                    .as("nothing on " + path)
                    .isEqualTo(401);
        }
        assertThat(server.awaitStop(1)).isFalse(); // still serving
        assertThat(call("POST", "/api/shutdown", admin, null).status()).isEqualTo(202);
        assertThat(server.awaitStop(10_000)).isTrue();
    }

    @Test
    void aLoginCodeWorksOnceAndNeverAsACredential() throws Exception {
        String code = loginCode();
        assertThat(code).matches("[A-Za-z0-9_-]{43}");
        assertThat(call("GET", "/api/streams", "Bearer " + code, null).status()).isEqualTo(401);
        assertThat(call("GET", "/api/streams", "Session " + code, null).status())
                .isEqualTo(401);
        var first = call("POST", "/api/session", null, "{\"code\":\"" + code + "\"}");
        assertThat(first.status()).isEqualTo(200);
        var again = call("POST", "/api/session", null, "{\"code\":\"" + code + "\"}");
        assertThat(again.status()).isEqualTo(403);
        assertThat(JSON.readTree(again.body()).get("error").asText()).contains("solo monitor open");
        assertThat(call("POST", "/api/session", null, "not json").status()).isEqualTo(400);
        // the page and the old token link set no cookie and grant nothing
        var link = call("GET", "/?token=" + token, null, null);
        assertThat(link.status()).isEqualTo(200);
        assertThat(link.headers()).doesNotContainKey("set-cookie");
    }

    @Test
    void rotatingTheTokenOrRestartingEndsSessions() throws Exception {
        String a = "Session " + session();
        assertThat(call("GET", "/api/streams", a, null).status()).isEqualTo(200);
        server.close();
        server = startServer();
        assertThat(call("GET", "/api/streams", a, null).status()).isEqualTo(401);

        String b = "Session " + session();
        String code = loginCode();
        token = registry.rotateToken().value();
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> call("GET", "/api/streams", b, null).status() == 401);
        assertThat(call("POST", "/api/session", null, "{\"code\":\"" + code + "\"}")
                        .status())
                .isEqualTo(403);
        assertThat(call("GET", "/api/streams", "Session " + session(), null).status())
                .isEqualTo(200);
    }

    @Test
    void anOpenLiveFeedEndsWhenItsSessionDoes() throws Exception {
        String s = session();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            socket.setSoTimeout(20_000);
            socket.getOutputStream()
                    .write(("GET /api/live HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Session " + s
                                    + "\r\nAccept: text/event-stream\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] head = new byte[12];
            assertThat(in.readNBytes(head, 0, 12)).isEqualTo(12);
            assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
            registry.rotateToken();
            // the stream ends: read until the server closes (a heartbeat every 200 ms keeps it honest)
            assertThat(in.readAllBytes()).isNotNull();
        }
    }

    @Test
    void healthSaysWhoIsThereAndStatusTheCounts() throws Exception {
        call("POST", "/api/hooks", "Bearer " + ingestKey, EVENT);
        JsonNode health = JSON.readTree(call("GET", "/health", null, null).body());
        assertThat(health.get("service").asText()).isEqualTo("solo-monitor");
        assertThat(health.has("streams") || health.has("events")).isFalse();
        JsonNode status = JSON.readTree(
                call("GET", "/api/status", "Bearer " + token, null).body());
        assertThat(status.get("service").asText()).isEqualTo("solo-monitor");
        assertThat(status.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(status.get("streams").asInt()).isEqualTo(1);
        assertThat(status.get("events").asLong()).isEqualTo(1);
        assertThat(status.get("database").asText()).endsWith("name-acc.db");
    }

    @Test
    void anotherOsUserCannotRedeemALoginCodeItReadOffACommandLine() throws Exception {
        OtherUser.assume();
        String code = loginCode();
        OtherUser.Result attacker = OtherUser.run(
                OtherUser.program("curl"),
                "-s",
                "-w",
                "\\n%{http_code}",
                "-H",
                "Content-Type: application/json",
                "--data-binary",
                "{\"code\":\"" + code + "\"}",
                "http://127.0.0.1:" + server.port() + "/api/session");
        assertThat(attacker.out()).endsWith("\n403");
        assertThat(attacker.out()).contains("works only in a browser of the user who runs this monitor");
        assertThat(attacker.out()).doesNotContain("\"session\"");
        // the attempt did not use the code up: the user's own browser still gets in with it
        var mine = call("POST", "/api/session", null, "{\"code\":\"" + code + "\"}");
        assertThat(mine.status()).isEqualTo(200);
    }
}
