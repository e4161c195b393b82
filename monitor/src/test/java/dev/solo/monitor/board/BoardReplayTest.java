package dev.solo.monitor.board;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.solo.core.Registry;
import dev.solo.monitor.server.MonitorServer;
import dev.solo.monitor.store.EventStore;
import dev.solo.monitor.store.NewEvent;
import dev.solo.monitor.store.Retention;
import dev.solo.monitor.testing.TestMonitors;
import dev.solo.testing.RawHttp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The board's replay at start, on a history large enough that it takes a while: the events that arrive
 * while it runs, for a stream it has not reached yet, one it has, and a new one, all reach their cards.
 */
@Timeout(120)
class BoardReplayTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    static NewEvent event(String stream, String name, String extra) {
        String json = "{\"session_id\":\"" + stream + "\",\"hook_event_name\":\"" + name + "\",\"cwd\":\"/w/" + stream
                + "\"" + extra + "}";
        return new NewEvent(stream, name, null, null, null, null, null, "/w/" + stream, null, null, "hook", 0, json);
    }

    @Test
    void eventsThatArriveDuringTheReplayReachTheirCards() throws Exception {
        Path db = home.resolve("board.db");
        try (EventStore store = EventStore.open(db, Clock.systemUTC(), Retention.DEFAULT, b -> {})) {
            for (int s = 0; s < 300; s++) {
                for (int i = 0; i < 100; i++) {
                    store.append(event("old-" + s, "PreToolUse", ",\"tool_name\":\"Bash\""));
                }
                if (s % 50 == 0) store.awaitStored();
            }
        }
        Registry registry = Registry.at(home.resolve("solo"));
        String token = registry.token().value();
        try (MonitorServer server = TestMonitors.start(registry, "replay", c -> c.withDatabase(db))) {
            // at once, while the board replays 300 streams: the first, the last, and a new one
            for (String stream : new String[] {"old-0", "old-299", "fresh"}) {
                String body = "{\"session_id\":\"" + stream + "\",\"hook_event_name\":\"UserPromptSubmit\",\"prompt\":"
                        + "\"after the start " + stream + "\",\"cwd\":\"/w/" + stream + "\"}";
                var r = RawHttp.send(
                        server.port(),
                        "POST",
                        "/api/hooks",
                        Map.of("Authorization", "Bearer " + token),
                        body.getBytes(StandardCharsets.UTF_8));
                assertThat(r.status()).as(r.body()).isEqualTo(200);
            }
            server.board().sync();
            var board =
                    RawHttp.send(server.port(), "GET", "/api/board", Map.of("Authorization", "Bearer " + token), null);
            Map<String, String> prompts = new java.util.HashMap<>();
            for (JsonNode s : JSON.readTree(board.body()).get("streams"))
                prompts.put(s.get("id").asText(), s.path("last_prompt").asText(null));
            assertThat(prompts).hasSize(301);
            for (String stream : new String[] {"old-0", "old-299", "fresh"}) {
                assertThat(prompts.get(stream)).as(stream).isEqualTo("after the start " + stream);
            }
        }
    }
}
