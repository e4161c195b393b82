package dev.solo.monitor.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.solo.monitor.transcript.ClaudeHome;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The board, conversation, permission and import routes over HTTP, with real sessions. */
class MissionApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path home;

    Path claude;
    Monitor monitor;

    @BeforeEach
    void start() {
        claude = home.resolve(".claude");
        Sessions.install(claude);
        monitor = new Monitor(home, new ClaudeHome(claude));
    }

    @AfterEach
    void stop() {
        monitor.close();
    }

    HttpResponse<String> call(String method, String path, String body, boolean token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(monitor.base() + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token) b.header("Authorization", "Bearer " + monitor.token);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode get(String path) throws Exception {
        HttpResponse<String> r = call("GET", path, null, true);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void everyNewRouteNeedsTheDashboardsCredential() throws Exception {
        for (String[] r : new String[][] {
            {"GET", "/api/board"}, {"GET", "/api/permissions"}, {"POST", "/api/permissions/settings"},
            {"POST", "/api/permissions/x"}, {"POST", "/api/import"}, {"GET", "/api/streams/s/conversation"}
        }) {
            assertThat(call(r[0], r[1], "{}", false).statusCode()).as(r[1]).isEqualTo(401);
        }
        assertThat(call("GET", "/vendor/marked.esm.js", null, false).statusCode())
                .isEqualTo(200);
        assertThat(call("GET", "/vendor/app.js", null, false).statusCode()).isEqualTo(404); // only the listed libraries
    }

    @Test
    void boardAndConversationFromRealSessions() throws Exception {
        Sessions.post(monitor, Sessions.ALPHA, claude);
        monitor.server().board().sync();
        JsonNode s = get("/api/board").path("streams").get(0);
        assertThat(s.path("label").asText()).isEqualTo("alpha (a5113d7c)");
        assertThat(s.path("status").asText()).isEqualTo("ended");
        assertThat(s.path("last_prompt").asText()).startsWith("SCRIPT dir=/tmp/dash/proj/alpha");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> get("/api/board").at("/streams/0/cost/total/calls").asLong() == 10);
        JsonNode cost = get("/api/board").at("/streams/0/cost");
        assertThat(cost.path("agents").has("main")).isTrue();
        assertThat(cost.path("agents").size()).isEqualTo(2); // main and its subagent
        JsonNode c = get("/api/streams/" + Sessions.ALPHA + "/conversation");
        assertThat(c.path("at_start").asBoolean()).isTrue();
        assertThat(c.path("items").findValuesAsText("kind")).contains("prompt", "tool", "result", "text");
        JsonNode agentPage = get("/api/streams/" + Sessions.ALPHA + "/conversation?agent=aa5a212689a24510b");
        assertThat(agentPage.path("items").toString()).contains("from-subagent");
        assertThat(call("GET", "/api/streams/" + Sessions.ALPHA + "/conversation?agent=../../x", null, true)
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void aTranscriptOutsideTheClaudeDirectoryIsRefused() throws Exception {
        Path secret = Files.writeString(
                home.resolve("secret.jsonl"), "{\"type\":\"user\",\"message\":{\"content\":\"secret\"}}\n");
        monitor.post("{\"session_id\":\"evil\",\"hook_event_name\":\"SessionStart\",\"transcript_path\":\"" + secret
                + "\"}");
        monitor.server().board().sync();
        HttpResponse<String> r = call("GET", "/api/streams/evil/conversation", null, true);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("not inside the Claude config directory").doesNotContain("\"secret\"");
    }

    @Test
    void permissionRoutesSayWhatIsWrong() throws Exception {
        HttpResponse<String> bad = call("POST", "/api/permissions/settings", "{\"timeout_seconds\":999}", true);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("timeout_seconds must be 5..120, got 999");
        assertThat(call("POST", "/api/permissions/settings", "not json", true).body())
                .contains("malformed JSON");
        HttpResponse<String> gone = call("POST", "/api/permissions/nope", "{\"behavior\":\"allow\"}", true);
        assertThat(gone.statusCode()).isEqualTo(409);
        assertThat(gone.body()).contains("no longer held").contains("answer it in the terminal");
        assertThat(get("/api/permissions").at("/settings/all").asBoolean()).isFalse();
    }

    @Test
    void importTurnsPastTranscriptsIntoStreamsOnceAndNeverDuplicatesHookEvents() throws Exception {
        // the hooks saw alpha; perm and inter ran while the monitor was down
        Sessions.post(monitor, Sessions.ALPHA, claude);
        long before = monitor.server().store().count();
        JsonNode first = JSON.readTree(call("POST", "/api/import", "{}", true).body());
        assertThat(first.path("sessions").asInt()).isEqualTo(2);
        long after = monitor.server().store().count();
        assertThat(after - before).isEqualTo(first.path("events").asLong());
        assertThat(first.path("skipped_events").asInt()).isGreaterThan(0); // alpha's, already there from hooks
        JsonNode again = JSON.readTree(call("POST", "/api/import", "{}", true).body());
        assertThat(again.path("events").asInt()).isZero();
        assertThat(monitor.server().store().count()).isEqualTo(after);
        // the imported session is a stream like any other, marked imported, with its tools paired
        monitor.server().board().sync();
        JsonNode perm = null;
        for (JsonNode s : get("/api/board").path("streams"))
            if (s.path("id").asText().equals(Sessions.PERM)) perm = s;
        assertThat(perm).isNotNull();
        assertThat(perm.path("imported").asBoolean()).isTrue();
        JsonNode calls = get("/api/streams/" + Sessions.PERM + "/tools").path("calls");
        assertThat(calls.toString()).contains("\"status\":\"denied\"").contains("haven't granted it yet");
        assertThat(call("POST", "/api/import", "{\"days\":0}", true).statusCode())
                .isEqualTo(400);
    }

    /** Claude Code versions that wrote no promptId: their prompts and stops were imported again by every import. */
    @Test
    void aTranscriptWithoutPromptIdsIsImportedOnce() throws Exception {
        Path perm;
        try (var files = Files.walk(claude.resolve("projects"))) {
            perm = files.filter(f -> f.getFileName().toString().equals(Sessions.PERM + ".jsonl"))
                    .findFirst()
                    .orElseThrow();
        }
        String old = String.join(
                "\n",
                Files.readAllLines(perm).stream()
                        .map(line -> line.replaceAll("\"promptId\":\"[^\"]*\",?", ""))
                        .toList());
        assertThat(old).doesNotContain("promptId").contains("\"type\":\"user\"");
        Files.writeString(perm, old + "\n");
        JsonNode first = JSON.readTree(call("POST", "/api/import", "{}", true).body());
        assertThat(first.path("events").asInt()).isGreaterThan(0);
        long after = monitor.server().store().count();
        JsonNode again = JSON.readTree(call("POST", "/api/import", "{}", true).body());
        assertThat(again.path("events").asInt()).as(again.toString()).isZero();
        assertThat(monitor.server().store().count()).isEqualTo(after);
    }

    /**
     * Import fills what the hooks missed with events at the transcript's (past) times. They must not
     * change what the card says the session is doing now: seen on a real monitor, "Import past
     * sessions" turned two ended sessions into idle ones and a session waiting for input into idle.
     */
    @Test
    void anImportedGapDoesNotReopenAnEndedSessionOnTheBoard() throws Exception {
        java.util.List<String> alpha = Sessions.hooks(Sessions.ALPHA, claude);
        int firstBash = MissionControlTest.indexOf(alpha, "\"hook_event_name\":\"PreToolUse\"", 1);
        for (int i = 0; i < alpha.size(); i++) if (i != firstBash) monitor.post(alpha.get(i)); // the hook lost one
        JsonNode imported =
                JSON.readTree(call("POST", "/api/import", "{}", true).body());
        assertThat(imported.path("events").asInt()).as(imported.toString()).isGreaterThanOrEqualTo(1);
        monitor.server().board().sync();
        JsonNode card = null;
        for (JsonNode s : get("/api/board").path("streams"))
            if (s.path("id").asText().equals(Sessions.ALPHA)) card = s;
        assertThat(card).isNotNull();
        assertThat(card.path("status").asText()).isEqualTo("ended");
        assertThat(card.path("running")).isEmpty();
        assertThat(card.path("imported").asBoolean()).isFalse();
        // and the paired calls still have the Bash, from the transcript
        assertThat(get("/api/streams/" + Sessions.ALPHA + "/tools")
                        .path("calls")
                        .toString())
                .contains("\"tool\":\"Bash\"");
    }
}
