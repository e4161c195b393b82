package dev.solo.monitor.permission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.solo.monitor.derive.StreamStatus;
import dev.solo.monitor.derive.Summary;
import dev.solo.monitor.ingest.Ingest;
import dev.solo.monitor.store.EventQuery;
import dev.solo.monitor.store.EventStore;
import dev.solo.monitor.store.Retention;
import dev.solo.monitor.store.StoredEvent;
import dev.solo.monitor.transcript.ClaudeHome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A permission prompt rejected in Claude Code's terminal fires no hook (2.1.197): the stream read
 * "waiting for you" until the next prompt, 17 minutes in the dash round's session. The transcript lines
 * below are the two Claude Code wrote for that rejection (a real interactive session of that round, run
 * against the stand-in API; only the ids are shortened).
 */
@Timeout(60)
class TerminalAnswersTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SESSION = "7caa46b9-bfec-4d24-80bf-7ea66a6a8992";
    static final String REJECTED = "{\"parentUuid\":\"d750dead\",\"isSidechain\":false,\"type\":\"user\",\"message\":"
            + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"content\":\"The user doesn't want to proceed"
            + " with this tool use. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written"
            + " to the file). STOP what you are doing and wait for the user to tell you how to proceed.\",\"is_error\":true,"
            + "\"tool_use_id\":\"toolu_bcaa54c8\"}]},\"uuid\":\"966c5fd0\",\"timestamp\":\"%s\","
            + "\"toolUseResult\":\"User rejected tool use\",\"sessionId\":\"" + SESSION + "\",\"version\":\"2.1.197\"}";
    static final String INTERRUPTED =
            "{\"parentUuid\":\"966c5fd0\",\"isSidechain\":false,\"type\":\"user\",\"message\":"
                    + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"[Request interrupted by user for tool use]\"}]},"
                    + "\"uuid\":\"38d3b13d\",\"timestamp\":\"%s\",\"sessionId\":\"" + SESSION
                    + "\",\"version\":\"2.1.197\"}";

    @TempDir
    Path dir;

    Path transcript;
    EventStore store;
    ClaudeHome home;
    final List<StoredEvent> settled = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        home = new ClaudeHome(Files.createDirectories(dir.resolve("claude")));
        transcript = Files.createDirectories(home.projects().resolve("-tmp-dash-proj5"))
                .resolve(SESSION + ".jsonl");
        // a rejection of an earlier prompt of the same session: it must not answer the next one
        Files.writeString(transcript, REJECTED.formatted("2026-11-30T21:07:07.637Z") + "\n");
        store = EventStore.open(dir.resolve("events.db"), Clock.systemUTC(), Retention.DEFAULT, batch -> {});
    }

    @AfterEach
    void close() {
        if (store != null) store.close();
    }

    StoredEvent post(String event, String tool) throws Exception {
        ObjectNode p = JSON.createObjectNode();
        p.put("session_id", SESSION);
        p.put("transcript_path", transcript.toString());
        p.put("cwd", "/tmp/dash/proj5");
        p.put("hook_event_name", event);
        if (tool != null) {
            p.put("tool_name", tool);
            p.putObject("tool_input").put("file_path", "/tmp/dash/proj5/README.md");
        }
        return store.append(new Ingest().hook(p.toString().getBytes(StandardCharsets.UTF_8)))
                .get(30, TimeUnit.SECONDS);
    }

    void claudeWrites(String line) throws Exception {
        Files.writeString(transcript, line + "\n", StandardOpenOption.APPEND);
    }

    String waiting() {
        return store.stream(SESSION).orElseThrow().waitingReason();
    }

    @Test
    void aPromptRejectedInTheTerminalEndsTheWaitOnce() throws Exception {
        TerminalAnswers answers = new TerminalAnswers(store, home, settled::add);
        post("UserPromptSubmit", null);
        StoredEvent request = post("PermissionRequest", "Edit");
        assertThat(waiting()).contains("Edit");
        assertThat(answers.check())
                .as("only an older rejection in the transcript")
                .isZero();
        assertThat(waiting()).contains("Edit");

        String now = Instant.now().toString();
        claudeWrites(REJECTED.formatted(now));
        claudeWrites(INTERRUPTED.formatted(now));
        assertThat(answers.check()).isEqualTo(1);
        assertThat(waiting()).isNull();
        assertThat(settled).hasSize(1);
        StoredEvent answered = settled.get(0);
        assertThat(answered.event()).isEqualTo(PermissionAnswered.REJECTED);
        assertThat(StreamStatus.of(store.stream(SESSION).orElseThrow(), System.currentTimeMillis()))
                .as("Claude Code waits for the next prompt")
                .isEqualTo("idle");
        assertThat(answered.tool()).isEqualTo("Edit");
        assertThat(JSON.readTree(answered.json()).path("answered_by").asText()).isEqualTo("terminal");
        assertThat(JSON.readTree(answered.json()).path("request_event_id").asLong())
                .isEqualTo(request.id());
        assertThat(Summary.of(answered)).isEqualTo("Edit: rejected in the terminal");
        assertThat(answers.check()).as("the stream waits no more").isZero();
        assertThat(store.page(new EventQuery(
                        List.of(SESSION), List.of(PermissionAnswered.REJECTED), List.of(), null, 0, -1, 10)))
                .hasSize(1);
    }

    @Test
    void aHeldPromptRejectedInTheTerminalIsReleasedWithNoDecision() throws Exception {
        AtomicInteger dashboards = new AtomicInteger(1);
        try (PermissionDesk desk = new PermissionDesk(dir.resolve("p.json"), dashboards::get, Clock.systemUTC())) {
            desk.update(JSON.readTree("{\"stream\":\"" + SESSION + "\",\"enabled\":true}"));
            StoredEvent request = post("PermissionRequest", "Edit");
            CompletableFuture<String> held = desk.offer(request);
            assertThat(held).isNotDone();
            claudeWrites(REJECTED.formatted(Instant.now().toString()));
            assertThat(new TerminalAnswers(store, home, desk::settle).check()).isEqualTo(1);
            assertThat(held.get(5, TimeUnit.SECONDS))
                    .as("no decision: the terminal has answered")
                    .isEmpty();
            assertThat(desk.holds()).isEmpty();
        }
    }

    @Test
    void aTranscriptOutsideTheClaudeDirectoryIsNeverRead() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("elsewhere")).resolve(SESSION + ".jsonl");
        Files.writeString(
                outside, REJECTED.formatted(Instant.now().plusSeconds(5).toString()) + "\n");
        transcript = outside;
        post("PermissionRequest", "Edit");
        assertThat(new TerminalAnswers(store, home, settled::add).check()).isZero();
        assertThat(waiting()).contains("Edit");
        assertThat(settled).isEmpty();
    }
}
