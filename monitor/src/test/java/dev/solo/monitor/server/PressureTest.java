package dev.solo.monitor.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.solo.core.Registry;
import dev.solo.monitor.testing.TestMonitors;
import dev.solo.testing.RawHttp;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The monitor under pressure: slow bodies, odd stream ids, requests Jetty itself refuses. */
class PressureTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration BODY_TIMEOUT = Duration.ofSeconds(3);

    @TempDir
    Path home;

    MonitorServer server;
    String token;
    final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void start() {
        Registry registry = Registry.at(home);
        token = registry.token().value();
        server = TestMonitors.start(registry, "p", c -> c.withBodyTimeout(BODY_TIMEOUT));
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) s.close();
        if (server != null) server.close();
    }

    RawHttp.Reply post(String path, String body) throws IOException {
        return RawHttp.send(
                server.port(),
                "POST",
                path,
                Map.of("Authorization", "Bearer " + token),
                body.getBytes(StandardCharsets.UTF_8));
    }

    RawHttp.Reply get(String path) throws IOException {
        return RawHttp.send(server.port(), "GET", path, Map.of("Authorization", "Bearer " + token), null);
    }

    @Test
    void seventySlowBodiesStarveNeitherHealthNorIngestAndGetA408() throws Exception {
        for (int i = 0; i < 70; i++) {
            Socket s = new Socket();
            sockets.add(s);
            s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            s.setSoTimeout((int) BODY_TIMEOUT.toMillis() + 20_000);
            s.getOutputStream()
                    .write(("POST /api/hooks HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                                    + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
                                    + "{\"session_id\":\"slow-" + i + "\",")
                            .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush(); // ...and the other 970 bytes never come
        }
        long t0 = System.nanoTime();
        assertThat(RawHttp.send(server.port(), "GET", "/health", Map.of(), null).status())
                .isEqualTo(200);
        assertThat(post("/api/hooks", "{\"session_id\":\"fast\",\"hook_event_name\":\"Stop\"}")
                        .status())
                .isEqualTo(200);
        // both answered while every slow body was still pending, not after the deadline freed threads
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(BODY_TIMEOUT);
        for (Socket s : sockets) {
            InputStream in = s.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 408").contains("did not arrive within 3000 ms");
        }
        JsonNode events = JSON.readTree(get("/api/events").body()).get("events");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("stream").asText()).isEqualTo("fast");
    }

    @Test
    void aSlashInAStreamIdWorksInEveryRoute() throws Exception {
        String id = "team/alpha 1+x";
        String enc = "team%2Falpha%201%2Bx";
        assertThat(post(
                                "/api/hooks",
                                "{\"session_id\":\"" + id + "\",\"hook_event_name\":\"PreToolUse\","
                                        + "\"tool_name\":\"Read\",\"tool_use_id\":\"t\",\"tool_input\":{\"file_path\":\"/a\"}}")
                        .status())
                .isEqualTo(200);
        JsonNode one = JSON.readTree(get("/api/streams/" + enc).body());
        assertThat(one.get("id").asText()).isEqualTo(id);
        for (String view : new String[] {"tools", "agents", "files", "export"}) {
            var r = get("/api/streams/" + enc + "/" + view);
            assertThat(r.status()).as(view + ": " + r.body()).isEqualTo(200);
        }
        assertThat(get("/api/streams/" + enc + "/export").headers().get("content-disposition"))
                .isEqualTo("attachment; filename=\"team_alpha_1_x.jsonl\"");
        JsonNode page = JSON.readTree(get("/api/events?stream=" + enc).body());
        assertThat(page.get("events").get(0).get("stream").asText()).isEqualTo(id);
        JsonNode names = JSON.readTree(get("/api/event-names?stream=" + enc).body());
        assertThat(names.get("names").get(0).get("event").asText()).isEqualTo("PreToolUse");
        assertThat(get("/api/streams/no%2Fsuch").status()).isEqualTo(404);
    }

    @Test
    void streamIdsAreBoundedInLength() throws Exception {
        String longest = "s".repeat(256);
        assertThat(post("/api/hooks", "{\"session_id\":\"" + longest + "\",\"hook_event_name\":\"Stop\"}")
                        .status())
                .isEqualTo(200);
        var tooLong = post("/api/hooks", "{\"session_id\":\"" + "s".repeat(257) + "\",\"hook_event_name\":\"Stop\"}");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(JSON.readTree(tooLong.body()).get("error").asText())
                .contains("257 characters")
                .contains("at most 256");
        var envelope = post(
                "/api/events",
                "{\"namespace\":\"n\",\"event\":\"e\",\"data\":{\"session_id\":\"" + "e".repeat(300) + "\"}}");
        assertThat(envelope.status()).isEqualTo(400);
        assertThat(JSON.readTree(get("/api/events").body()).get("events")).hasSize(1);
    }

    @Test
    void whatJettyRefusesItselfIsAnsweredAsJson() throws Exception {
        var badEncoding = get("/api/streams/%zz");
        assertThat(badEncoding.status()).isEqualTo(400);
        assertThat(badEncoding.headers().get("content-type")).startsWith("application/json");
        assertThat(JSON.readTree(badEncoding.body()).get("status").asInt()).isEqualTo(400);
        var hugeHeader = RawHttp.send(server.port(), "GET", "/health", Map.of("X-Big", "x".repeat(20_000)), null);
        assertThat(hugeHeader.status()).isEqualTo(431);
        assertThat(hugeHeader.body()).startsWith("{\"status\":431,\"error\":");
        assertThat(hugeHeader.body()).doesNotContain("<html").doesNotContain("at org.eclipse");
    }
}
