package dev.solo.monitor.permission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.solo.monitor.store.StoredEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PermissionDeskTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String REQUEST =
            "{\"session_id\":\"s1\",\"hook_event_name\":\"PermissionRequest\",\"tool_name\":\"Write\","
                    + "\"tool_input\":{\"file_path\":\"/p/notes.txt\",\"content\":\"x\"}}";

    @TempDir
    Path tmp;

    static StoredEvent request(String stream) {
        return new StoredEvent(7, 0, stream, "PermissionRequest", "Write", null, null, null, "hook", 0, REQUEST);
    }

    PermissionDesk desk(AtomicInteger dashboards) {
        return new PermissionDesk(tmp.resolve("p.json"), dashboards::get, Clock.systemUTC());
    }

    @Test
    void offByDefaultAnsweringNothing() throws Exception {
        try (PermissionDesk d = desk(new AtomicInteger(1))) {
            assertThat(d.settings().all()).isFalse();
            assertThat(d.offer(request("s1")).getNow("held")).isEmpty();
        }
    }

    @Test
    void heldUntilAllowedOrDenied() throws Exception {
        try (PermissionDesk d = desk(new AtomicInteger(1))) {
            d.update(JSON.readTree("{\"stream\":\"s1\",\"enabled\":true}"));
            CompletableFuture<String> a = d.offer(request("s1"));
            assertThat(a).isNotDone();
            assertThat(d.offer(request("other")).getNow("held")).isEmpty(); // only the stream opted in
            String id = (String) d.holds().get(0).get("id");
            assertThat(d.holds().get(0)).containsEntry("detail", "/p/notes.txt");
            assertThat(d.answer(id, "allow", null)).isTrue();
            assertThat(JSON.readTree(a.get(1, TimeUnit.SECONDS)))
                    .isEqualTo(
                            JSON.readTree(
                                    "{\"hookSpecificOutput\":{\"hookEventName\":\"PermissionRequest\",\"decision\":{\"behavior\":\"allow\"}}}"));
            assertThat(d.answer(id, "deny", null)).isFalse(); // answered once
            CompletableFuture<String> b = d.offer(request("s1"));
            d.answer((String) d.holds().get(0).get("id"), "deny", "not now");
            assertThat(JSON.readTree(b.get(1, TimeUnit.SECONDS))
                            .at("/hookSpecificOutput/decision/message")
                            .asText())
                    .isEqualTo("not now");
            assertThatThrownBy(() -> d.answer("x", "maybe", null)).hasMessageContaining("allow\" or \"deny");
        }
        // the setting was kept
        assertThat(Files.readString(tmp.resolve("p.json"))).contains("s1");
        try (PermissionDesk again = desk(new AtomicInteger(1))) {
            assertThat(again.settings().holds("s1")).isTrue();
        }
    }

    @Test
    void noDecisionWhenNoDashboardIsOpenWhenItClosesOrOnTimeout() throws Exception {
        AtomicInteger dashboards = new AtomicInteger(0);
        try (PermissionDesk d = desk(dashboards)) {
            d.update(JSON.readTree("{\"all\":true,\"timeout_seconds\":5}"));
            assertThat(d.offer(request("s1")).getNow("held")).isEmpty(); // nobody to answer it
            dashboards.set(1);
            CompletableFuture<String> closes = d.offer(request("s1"));
            dashboards.set(0); // the page closes: after the grace period, back to the terminal
            assertThat(closes.get(PermissionDesk.GRACE_MS + 3000, TimeUnit.MILLISECONDS))
                    .isEmpty();
            dashboards.set(1);
            CompletableFuture<String> times = d.offer(request("s1"));
            assertThat(times.get(8, TimeUnit.SECONDS)).isEmpty(); // 5 s timeout, no answer
            assertThat(d.holds()).isEmpty();
        }
    }

    @Test
    void settingsAreCheckedAndBadOnesChangeNothing() throws Exception {
        try (PermissionDesk d = desk(new AtomicInteger(1))) {
            assertThatThrownBy(() -> d.update(JSON.readTree("{\"timeout_seconds\":1}")))
                    .hasMessageContaining("5..120");
            assertThatThrownBy(() -> d.update(JSON.readTree("{\"all\":\"yes\"}")))
                    .hasMessageContaining("true or false");
            assertThatThrownBy(() -> d.update(JSON.readTree("{\"stream\":\"s\"}")))
                    .hasMessageContaining("\"enabled\"");
            assertThat(d.settings()).isEqualTo(HoldSettings.OFF);
            assertThat(Files.exists(tmp.resolve("p.json"))).isFalse();
        }
    }

    @Test
    void shutdownReleasesEveryHold() throws Exception {
        PermissionDesk d = desk(new AtomicInteger(1));
        d.update(JSON.readTree("{\"all\":true}"));
        CompletableFuture<String> held = d.offer(request("s1"));
        d.close();
        assertThat(held.get(1, TimeUnit.SECONDS)).isEmpty();
    }
}
