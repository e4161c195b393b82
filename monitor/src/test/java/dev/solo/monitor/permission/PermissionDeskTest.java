package dev.solo.monitor.permission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.solo.monitor.store.StoredEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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

    static StoredEvent event(long id, String stream, String event, String tool, String agent) {
        return new StoredEvent(id, 0, stream, event, tool, null, agent, null, "hook", 0, "{}");
    }

    /**
     * The user answered a held prompt in the terminal (Claude Code shows both): the call went on, the
     * next prompt came, and the card's Allow must not answer the old one (seen with Claude Code
     * 2.1.197: Allow on "Edit: README.md" answered the Write the terminal had allowed, and the Edit
     * kept waiting).
     */
    @Test
    void aHoldIsReleasedOnceItsCallWentOnWithoutThePage() throws Exception {
        try (PermissionDesk d = desk(new AtomicInteger(1))) {
            d.update(JSON.readTree("{\"all\":true}"));
            CompletableFuture<String> write = d.offer(request("s1")); // event 7: Write
            CompletableFuture<String> other = d.offer(request("s2"));
            d.settle(event(8, "s1", "Notification", null, null)); // "Claude needs your permission"
            d.settle(event(9, "s1", "PostToolUse", "Write", "a1")); // a subagent's Write, not this one
            d.settle(event(10, "s1", "PostToolUse", "Read", null));
            assertThat(write).isNotDone();
            d.settle(event(11, "s1", "PostToolUse", "Write", null)); // allowed in the terminal
            assertThat(write.get(1, TimeUnit.SECONDS)).isEmpty();
            assertThat(other).isNotDone();
            assertThat(d.holds()).extracting(h -> h.get("stream")).containsExactly("s2");
            // a turn that ended (Esc, a new prompt, the session closed) releases what it held
            d.settle(event(12, "s2", "UserPromptSubmit", null, null));
            assertThat(other.get(1, TimeUnit.SECONDS)).isEmpty();
            assertThat(d.holds()).isEmpty();
            // an event that came before the request says nothing about it
            CompletableFuture<String> again = d.offer(request("s1")); // event 7 again
            d.settle(event(5, "s1", "PostToolUse", "Write", null));
            assertThat(again).isNotDone();
            d.settle(event(13, "s1", "PostToolUseFailure", "Write", null));
            assertThat(again.get(1, TimeUnit.SECONDS)).isEmpty();
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

    /** A watch rides the desk's own tick; one that throws runs again at its next turn. */
    @Test
    void aWatchRunsOnTheDesksTickAndSurvivesItsFailures() throws Exception {
        try (PermissionDesk d = desk(new AtomicInteger(0))) {
            AtomicInteger runs = new AtomicInteger();
            java.util.concurrent.atomic.AtomicReference<String> thread =
                    new java.util.concurrent.atomic.AtomicReference<>();
            d.every(Duration.ofMillis(600), () -> {
                thread.set(Thread.currentThread().getName());
                if (runs.incrementAndGet() == 1) throw new IllegalStateException("first run fails");
            });
            await().atMost(Duration.ofSeconds(20)).until(() -> runs.get() >= 3);
            assertThat(thread.get()).isEqualTo("monitor-permissions");
        }
    }
}
