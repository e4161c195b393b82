package dev.solo.monitor.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.solo.core.PortPolicy;
import dev.solo.core.Protocol;
import dev.solo.core.Registry;
import dev.solo.core.ServiceIdentity;
import dev.solo.core.SingleInstance;
import dev.solo.monitor.testing.HookFixtures;
import dev.solo.monitor.testing.TestMonitors;
import dev.solo.testing.RawHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The monitor server in this JVM on an OS-assigned loopback port: real HTTP, real SQLite. */
class MonitorServerTest {
    static final Path FIXTURES = HookFixtures.DIR;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    Registry registry;
    MonitorServer server;
    String token;

    @BeforeEach
    void start() {
        registry = Registry.at(home);
        token = registry.token().value();
        server = startServer();
    }

    MonitorServer startServer() {
        return TestMonitors.start(registry, "t");
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    RawHttp.Reply get(String path) throws IOException {
        return RawHttp.send(server.port(), "GET", path, Map.of("Authorization", "Bearer " + token), null);
    }

    RawHttp.Reply post(String path, String body) throws IOException {
        return RawHttp.send(
                server.port(),
                "POST",
                path,
                Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json"),
                body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void healthIsTheIdentityAndProvesTheToken() throws Exception {
        var r = RawHttp.send(server.port(), "GET", "/health?nonce=abcdef0123456789", Map.of(), null);
        assertThat(r.status()).isEqualTo(200);
        JsonNode h = JSON.readTree(r.body());
        assertThat(h.get("status").asText()).isEqualTo("running");
        assertThat(h.get("service").asText()).isEqualTo("solo-monitor");
        assertThat(h.get("port").asInt()).isEqualTo(server.port());
        assertThat(h.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(h.get("name").asText()).isEqualTo("t");
        assertThat(registry.token()
                        .verifiesProof(
                                "abcdef0123456789",
                                server.identity(),
                                h.get("proof").asText()))
                .isTrue();
        assertThat(r.headers()).doesNotContainKey("access-control-allow-origin");
        // the user's activity is not the business of whoever asks without a credential
        assertThat(h.has("streams")).isFalse();
        assertThat(h.has("events")).isFalse();

        // core's own discovery finds it through /health
        Optional<ServiceIdentity> found = SingleInstance.builder("solo-monitor")
                .protocol(Protocol.HTTP)
                .policy(PortPolicy.ephemeral())
                .name("t")
                .registry(registry)
                .build()
                .find();
        assertThat(found).map(ServiceIdentity::port).contains(server.port());
    }

    @Test
    void everyFixtureIsStoredAndReadBackUnchanged() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Stream.concat(Files.list(FIXTURES), Files.list(FIXTURES.resolve("variants")))) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(60);
        for (Path f : files) {
            var r = post("/api/hooks", Files.readString(f));
            assertThat(r.status()).as(f.toString()).isEqualTo(200);
            assertThat(r.body()).as(f.toString()).isEmpty();
        }
        JsonNode page = JSON.readTree(get("/api/events?limit=1000&after=0").body());
        assertThat(page.get("events")).hasSize(files.size());
        for (int i = 0; i < files.size(); i++) {
            JsonNode sent = JSON.readTree(Files.readString(files.get(i)));
            JsonNode stored = page.get("events").get(i);
            assertThat(stored.get("data")).as(files.get(i).toString()).isEqualTo(sent);
            assertThat(stored.get("event").asText())
                    .isEqualTo(sent.get("hook_event_name").asText());
            assertThat(stored.get("stream").asText())
                    .isEqualTo(sent.get("session_id").asText());
            JsonNode one = JSON.readTree(
                    get("/api/events/" + stored.get("id").asLong()).body());
            assertThat(one.get("data")).isEqualTo(sent);
        }
        // filters
        JsonNode bash = JSON.readTree(
                get("/api/events?tool=Bash&event=PostToolUseFailure").body());
        assertThat(bash.get("events")).hasSize(1);
        assertThat(bash.get("events").get(0).get("data").get("error").asText()).isEqualTo("Exit code 1");
        JsonNode text = JSON.readTree(get("/api/events?q=PROBE_ALLOWED").body());
        assertThat(text.get("events"))
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.get("data").toString()).contains("PROBE_ALLOWED"));
    }

    @Test
    void derivedViewsPairToolsAndFindAgentsAndFiles() throws Exception {
        String s = "777e68b4-1ad1-4f6c-9d81-64d0cae95a84";
        for (String f : List.of("PreToolUse", "PostToolUse", "PostToolUseFailure")) {
            assertThat(post("/api/hooks", Files.readString(FIXTURES.resolve(f + ".json")))
                            .status())
                    .isEqualTo(200);
        }
        assertThat(post("/api/hooks", Files.readString(FIXTURES.resolve("variants/PostToolUse.Edit.json")))
                        .status())
                .isEqualTo(200);
        JsonNode tools =
                JSON.readTree(get("/api/streams/" + s + "/tools").body()).get("calls");
        assertThat(tools).hasSize(3);
        assertThat(tools.get(0).get("tool_use_id").asText()).isEqualTo("toolu_012pvg9iy5XR1HxLRHTMbFL8");
        assertThat(tools.get(0).get("status").asText()).isEqualTo("ok");
        assertThat(tools.get(0).get("duration_ms").asLong()).isEqualTo(90);
        assertThat(tools.get(1).get("status").asText()).isEqualTo("failed");
        assertThat(tools.get(1).get("error").asText()).isEqualTo("Exit code 1");
        JsonNode files =
                JSON.readTree(get("/api/streams/" + s + "/files").body()).get("files");
        assertThat(files).hasSize(1);
        assertThat(files.get(0).get("path").asText()).endsWith(".leopold/PLAN.md");
        assertThat(files.get(0).get("has_patch").asBoolean()).isTrue();

        String sub = "049615d1-d898-4fdb-ac17-53e8749b4b97";
        post("/api/hooks", Files.readString(FIXTURES.resolve("SubagentStart.json")));
        post("/api/hooks", Files.readString(FIXTURES.resolve("SubagentStop.json")));
        JsonNode tree = JSON.readTree(get("/api/streams/" + sub + "/agents").body());
        assertThat(tree.get("children")).hasSize(1);
        assertThat(tree.get("children").get(0).get("id").asText()).isEqualTo("acb594f61d1631b05");
        assertThat(tree.get("children").get(0).get("status").asText()).isEqualTo("stopped");
        assertThat(tree.get("children").get(0).get("last_message").asText()).isEqualTo("PONG");
    }

    @Test
    void permissionRequestMarksTheStreamWaitingUntilTheNextEvent() throws Exception {
        String perm = Files.readString(FIXTURES.resolve("PermissionRequest.json"));
        post("/api/hooks", perm);
        JsonNode streams = JSON.readTree(get("/api/streams").body()).get("streams");
        assertThat(streams.get(0).get("status").asText()).isEqualTo("waiting");
        assertThat(streams.get(0).get("waiting_for").asText()).isEqualTo("Permission needed for Bash");
        assertThat(streams.get(0).get("label").asText()).isEqualTo("claude-project (12f459b8)");
        String post = perm.replace("\"PermissionRequest\"", "\"PostToolUse\"");
        post("/api/hooks", post);
        streams = JSON.readTree(get("/api/streams").body()).get("streams");
        assertThat(streams.get(0).get("status").asText()).isEqualTo("working");
        String end = Files.readString(FIXTURES.resolve("SessionEnd.json"))
                .replace("777e68b4-1ad1-4f6c-9d81-64d0cae95a84", "12f459b8-ddba-474a-8dbb-05427ec73267");
        post("/api/hooks", end);
        streams = JSON.readTree(get("/api/streams").body()).get("streams");
        assertThat(streams.get(0).get("status").asText()).isEqualTo("ended");
    }

    @Test
    void envelopeIsUnwrappedAndKeptWhole() throws Exception {
        String env = "{\"namespace\":\"hook\",\"event\":\"claude_event\",\"data\":{\"type\":\"hook\","
                + "\"subtype\":\"pre_tool\",\"timestamp\":\"2025-12-23T10:30:00.123Z\",\"data\":{\"session_id\":\"mpm-1\","
                + "\"hook_event_name\":\"PreToolUse\",\"cwd\":\"/work/app\",\"tool_name\":\"Read\",\"tool_use_id\":\"t1\","
                + "\"tool_input\":{\"file_path\":\"/work/app/a.txt\"},\"unknown_field\":[1,2.50]}}}";
        var r = post("/api/events", env);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        String raw = get("/api/events?stream=mpm-1").body();
        assertThat(raw).contains("\"unknown_field\":[1,2.50]"); // numbers kept exactly as sent
        JsonNode e = JSON.readTree(raw).get("events").get(0);
        assertThat(e.get("event").asText()).isEqualTo("PreToolUse");
        assertThat(e.get("tool").asText()).isEqualTo("Read");
        assertThat(e.get("source").asText()).isEqualTo("envelope");
        assertThat(e.get("data")).isEqualTo(JSON.readTree(env));
        JsonNode s = JSON.readTree(get("/api/streams/mpm-1").body());
        assertThat(s.get("label").asText()).isEqualTo("app (mpm-1)");
    }

    @Test
    void oversizedFieldsAreTrimmedWithAMarker() throws Exception {
        String big = "x".repeat(200_000);
        var r = post(
                "/api/hooks",
                "{\"session_id\":\"s\",\"hook_event_name\":\"PostToolUse\",\"tool_name\":\"Edit\","
                        + "\"tool_response\":{\"originalFile\":\"" + big + "\"},\"small\":\"kept\"}");
        assertThat(r.status()).isEqualTo(200);
        JsonNode e =
                JSON.readTree(get("/api/events?stream=s").body()).get("events").get(0);
        String cut = e.get("data").get("tool_response").get("originalFile").asText();
        assertThat(cut).startsWith("x".repeat(4096)).endsWith("…[solo: cut 195904 of 200000 characters]");
        assertThat(e.get("cut").asLong()).isEqualTo(195_904);
        assertThat(e.get("data").get("small").asText()).isEqualTo("kept");
    }

    @Test
    void badInputGetsAClearStatusAndStoresNothing() throws Exception {
        var malformed = post("/api/hooks", "{\"session_id\": ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(JSON.readTree(malformed.body()).get("error").asText()).startsWith("malformed JSON: ");
        var notObject = post("/api/hooks", "[1,2]");
        assertThat(notObject.status()).isEqualTo(400);
        assertThat(JSON.readTree(notObject.body()).get("error").asText())
                .startsWith("expected a JSON object, got array");
        var noData = post("/api/events", "{\"namespace\":\"x\",\"event\":\"y\"}");
        assertThat(noData.status()).isEqualTo(400);
        byte[] huge = new byte[8 * 1024 * 1024 + 1];
        java.util.Arrays.fill(huge, (byte) ' ');
        var tooBig =
                RawHttp.send(server.port(), "POST", "/api/hooks", Map.of("Authorization", "Bearer " + token), huge);
        assertThat(tooBig.status()).isEqualTo(413);
        var noToken =
                RawHttp.send(server.port(), "POST", "/api/hooks", Map.of(), "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(noToken.status()).isEqualTo(401);
        var wrongToken = RawHttp.send(
                server.port(), "GET", "/api/streams", Map.of("Authorization", "Bearer " + "0".repeat(64)), null);
        assertThat(wrongToken.status()).isEqualTo(401);
        assertThat(JSON.readTree(get("/api/events").body()).get("events")).isEmpty();
        // and the server keeps serving
        assertThat(post("/api/hooks", "{\"session_id\":\"s\",\"hook_event_name\":\"Stop\"}")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void foreignHostAndOriginAreRefusedAndNoCookieGrantsAccess() throws Exception {
        int port = server.port();
        Map<String, String> auth = Map.of("Authorization", "Bearer " + token);
        var rebinding = RawHttp.send(port, "GET", "/api/streams", with(auth, "Host", "evil.example:" + port), null);
        assertThat(rebinding.status()).isEqualTo(403);
        assertThat(RawHttp.send(port, "GET", "/health", Map.of("Host", "evil.example"), null)
                        .status())
                .isEqualTo(403);
        var crossOrigin = RawHttp.send(
                port,
                "POST",
                "/api/hooks",
                with(auth, "Origin", "http://evil.example"),
                "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(crossOrigin.status()).isEqualTo(403);
        var otherPort = RawHttp.send(port, "GET", "/api/live", with(auth, "Origin", "http://localhost:1"), null);
        assertThat(otherPort.status()).isEqualTo(403);
        var localhost = RawHttp.send(
                port,
                "GET",
                "/api/streams",
                with(with(auth, "Host", "localhost:" + port), "Origin", "http://localhost:" + port),
                null);
        assertThat(localhost.status()).isEqualTo(200);
        assertThat(localhost.headers()).doesNotContainKey("access-control-allow-origin");

        // an old-style token link is only the page: no cookie, no redirect, no access
        var link = RawHttp.send(port, "GET", "/?token=" + token, Map.of(), null);
        assertThat(link.status()).isEqualTo(200);
        assertThat(link.headers()).doesNotContainKey("set-cookie");
        var cookie =
                RawHttp.send(port, "GET", "/api/streams", Map.of("Cookie", "solo_monitor_" + port + "=" + token), null);
        assertThat(cookie.status()).isEqualTo(401);
    }

    @Test
    void historySurvivesARestart() throws Exception {
        post("/api/hooks", Files.readString(FIXTURES.resolve("SessionStart.json")));
        post("/api/hooks", Files.readString(FIXTURES.resolve("PreToolUse.json")));
        server.close();
        server = startServer();
        JsonNode events = JSON.readTree(get("/api/events").body()).get("events");
        assertThat(events).hasSize(2);
        assertThat(events.get(0).get("event").asText()).isEqualTo("PreToolUse");
        JsonNode streams = JSON.readTree(get("/api/streams").body()).get("streams");
        assertThat(streams.get(0).get("events").asLong()).isEqualTo(2);
        post("/api/hooks", Files.readString(FIXTURES.resolve("Stop.json")));
        assertThat(JSON.readTree(get("/api/events?limit=1").body())
                        .get("events")
                        .get(0)
                        .get("id")
                        .asLong())
                .isEqualTo(3);
    }

    @Test
    void exportIsOneJsonObjectPerLine() throws Exception {
        post("/api/hooks", Files.readString(FIXTURES.resolve("Notification.json")));
        post("/api/hooks", Files.readString(FIXTURES.resolve("Notification.json")));
        var r = get("/api/streams/abc123/export");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().get("content-type")).startsWith("application/x-ndjson");
        List<String> lines = new ArrayList<>(r.body().lines().toList());
        assertThat(lines).hasSize(2);
        for (String l : lines)
            assertThat(JSON.readTree(l).get("event").asText()).isEqualTo("Notification");
    }

    static Map<String, String> with(Map<String, String> base, String k, String v) {
        Map<String, String> m = new java.util.LinkedHashMap<>(base);
        m.put(k, v);
        return m;
    }
}
