package dev.solo.monitor.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.solo.core.Registry;
import dev.solo.monitor.testing.TestMonitors;
import dev.solo.testing.RawHttp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the API gives the dashboard: its files, row pages, event names, live filters, waiting detail. */
class DashboardApiTest {
    static final Path FIXTURES = MonitorServerTest.FIXTURES;
    static final ObjectMapper JSON = MonitorServerTest.JSON;

    @TempDir
    Path home;

    MonitorServer server;
    String token;

    @BeforeEach
    void start() {
        Registry registry = Registry.at(home);
        token = registry.token().value();
        server = TestMonitors.start(registry, "t");
    }

    @AfterEach
    void stop() {
        server.close();
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

    String fixture(String name) throws Exception {
        return Files.readString(FIXTURES.resolve(name + ".json"));
    }

    @Test
    void thePageAndItsFilesAreServedWithoutDataAndRevalidated() throws Exception {
        var page = RawHttp.send(server.port(), "GET", "/", Map.of(), null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.headers().get("content-type")).startsWith("text/html");
        assertThat(page.headers().get("content-security-policy"))
                .contains("script-src 'self'")
                .contains("frame-ancestors 'none'");
        assertThat(page.body()).contains("/assets/app.js").doesNotContain("session_id");

        var js = RawHttp.send(server.port(), "GET", "/assets/app.js", Map.of(), null);
        assertThat(js.status()).isEqualTo(200);
        assertThat(js.headers().get("content-type")).startsWith("text/javascript");
        assertThat(js.headers().get("cache-control")).isEqualTo("no-cache");
        String etag = js.headers().get("etag");
        var again = RawHttp.send(server.port(), "GET", "/assets/app.js", Map.of("If-None-Match", etag), null);
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();

        for (String bad : List.of("/assets/nope.js", "/assets/App.js", "/assets/x/app.js"))
            assertThat(RawHttp.send(server.port(), "GET", bad, Map.of(), null).status())
                    .as(bad)
                    .isEqualTo(404);
        // Jetty itself refuses an encoded traversal (400); either way nothing leaves the dashboard folder
        assertThat(RawHttp.send(server.port(), "GET", "/assets/..%2Fserver%2FApiHandler.class", Map.of(), null)
                        .status())
                .isIn(400, 404);
        assertThat(RawHttp.send(server.port(), "POST", "/assets/app.js", Map.of(), new byte[0])
                        .status())
                .isEqualTo(405);
    }

    @Test
    void rowsCarryASummaryInsteadOfThePayloadAndTheHead() throws Exception {
        post("/api/hooks", fixture("UserPromptSubmit"));
        post("/api/hooks", fixture("PreToolUse"));
        JsonNode body = JSON.readTree(get("/api/events?view=row&limit=10").body());
        assertThat(body.get("head").asLong()).isEqualTo(2);
        JsonNode first = body.get("events").get(0);
        assertThat(first.get("event").asText()).isEqualTo("PreToolUse");
        assertThat(first.get("summary").asText()).isEqualTo("true");
        assertThat(first.has("data")).isFalse();
        assertThat(get("/api/events?view=nope").status()).isEqualTo(400);
    }

    @Test
    void eventNamesAreCountedPerStream() throws Exception {
        post("/api/hooks", fixture("PreToolUse"));
        post("/api/hooks", fixture("PreToolUse"));
        post("/api/hooks", fixture("Notification"));
        JsonNode names = JSON.readTree(get("/api/event-names?stream=777e68b4-1ad1-4f6c-9d81-64d0cae95a84")
                        .body())
                .get("names");
        assertThat(names).hasSize(1);
        assertThat(names.get(0).get("event").asText()).isEqualTo("PreToolUse");
        assertThat(names.get(0).get("count").asLong()).isEqualTo(2);
        assertThat(JSON.readTree(get("/api/event-names").body()).get("names")).hasSize(2);
    }

    @Test
    void aWaitingStreamSaysWhatItWaitsFor() throws Exception {
        post("/api/hooks", fixture("PermissionRequest"));
        JsonNode body = JSON.readTree(get("/api/streams").body());
        assertThat(body.get("now").asText()).endsWith("Z");
        JsonNode s = body.get("streams").get(0);
        assertThat(s.get("waiting_detail").asText()).isEqualTo("Bash: touch probe-allow.txt && echo PROBE_ALLOWED");
    }

    @Test
    void toolCallsCarryInputAndOutputLines() throws Exception {
        post("/api/hooks", fixture("variants/PreToolUse.Bash-grep"));
        post("/api/hooks", fixture("variants/PostToolUse.Bash-grep-returnCodeInterpretation"));
        JsonNode calls = JSON.readTree(get("/api/streams/777e68b4-1ad1-4f6c-9d81-64d0cae95a84/tools")
                        .body())
                .get("calls");
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).get("input_summary").asText()).isEqualTo("grep -c zzz /dev/null");
        assertThat(calls.get(0).get("output").asText()).isNotBlank();
    }

    @Test
    void aCallRefusedBeforeItRanIsAFailedCallWithItsReason() throws Exception {
        // Claude Code 2.1.197 checked this Edit's input, found no file, and ran no PreToolUse or
        // PostToolUse hook for it: only the PostToolBatch names it, with the refusal as its answer.
        post("/api/hooks", fixture("variants/PostToolBatch.Edit-tool_use_error-2.1.197"));
        JsonNode calls = JSON.readTree(get("/api/streams/22aa2079-02eb-4ccf-9734-0c759ae9db7a/tools")
                        .body())
                .get("calls");
        assertThat(calls).hasSize(1);
        JsonNode edit = calls.get(0);
        assertThat(edit.get("tool").asText()).isEqualTo("Edit");
        assertThat(edit.get("tool_use_id").asText()).isEqualTo("toolu_66ed15b637d84d188495");
        assertThat(edit.get("status").asText()).isEqualTo("failed");
        assertThat(edit.get("error").asText())
                .isEqualTo("File does not exist. Note: your current working directory is /tmp/dash/proj2.");
        assertThat(edit.get("input_summary").asText()).isEqualTo("/tmp/dash/nope/README.md");
        assertThat(edit.get("started").asText()).isEqualTo(edit.get("ended").asText());
    }

    @Test
    void aBatchDoesNotRepeatTheCallsItsHooksAlreadyShowed() throws Exception {
        post("/api/hooks", fixture("PreToolUse"));
        post("/api/hooks", fixture("PostToolUse"));
        post("/api/hooks", fixture("PostToolBatch"));
        JsonNode calls = JSON.readTree(get("/api/streams/777e68b4-1ad1-4f6c-9d81-64d0cae95a84/tools")
                        .body())
                .get("calls");
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).get("status").asText()).isEqualTo("ok");
    }

    @Test
    void theLiveFeedFiltersByEventAndTextAndSendsRows() throws Exception {
        post("/api/hooks", fixture("PreToolUse"));
        post("/api/hooks", fixture("UserPromptSubmit"));
        post("/api/hooks", "{\"session_id\":\"b\",\"hook_event_name\":\"UserPromptSubmit\",\"prompt\":\"other\"}");
        post("/api/hooks", "{\"session_id\":\"b\",\"hook_event_name\":\"UserPromptSubmit\",\"prompt\":\"FIND me\"}");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            s.setSoTimeout(20_000);
            s.getOutputStream()
                    .write(("GET /api/live?last_event_id=0&view=row&event=UserPromptSubmit&q=find HTTP/1.1\r\n"
                                    + "Host: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\n\r\n")
                            .getBytes(StandardCharsets.UTF_8));
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            List<String> data = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("data: ")) data.add(line.substring(6));
                if (line.equals(": heartbeat") || data.size() == 2) break;
                if (data.size() == 1) {
                    post("/api/hooks", "{\"session_id\":\"c\",\"hook_event_name\":\"Stop\",\"x\":\"find\"}");
                    post(
                            "/api/hooks",
                            "{\"session_id\":\"c\",\"hook_event_name\":\"UserPromptSubmit\",\"prompt\":\"find 2\"}");
                }
            }
            assertThat(data).hasSize(2);
            JsonNode first = JSON.readTree(data.get(0));
            assertThat(first.get("id").asLong()).isEqualTo(4);
            assertThat(first.get("summary").asText()).isEqualTo("FIND me");
            assertThat(first.has("data")).isFalse();
            assertThat(JSON.readTree(data.get(1)).get("id").asLong()).isEqualTo(6);
        }
    }
}
