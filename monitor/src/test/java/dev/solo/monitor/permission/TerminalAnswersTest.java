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
        return post(event, tool, "README.md", null);
    }

    /** A hook of the session; of subagent {@code agent} when not null, about {@code file} of the project. */
    StoredEvent post(String event, String tool, String file, String agent) throws Exception {
        ObjectNode p = JSON.createObjectNode();
        p.put("session_id", SESSION);
        p.put("transcript_path", transcript.toString());
        p.put("cwd", "/tmp/dash/proj5");
        p.put("hook_event_name", event);
        if (tool != null) {
            p.put("tool_name", tool);
            p.putObject("tool_input").put("file_path", "/tmp/dash/proj5/" + file);
        }
        if (agent != null) {
            p.put("agent_id", agent);
            p.put("agent_type", "general-purpose");
        }
        return store.append(new Ingest().hook(p.toString().getBytes(StandardCharsets.UTF_8)))
                .get(30, TimeUnit.SECONDS);
    }

    void claudeWrites(String line) throws Exception {
        claudeWrites(transcript, line);
    }

    static void claudeWrites(Path file, String line) throws Exception {
        Files.writeString(file, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /**
     * The assistant line of one message that calls {@code tool} on each of {@code files} (ids {@code
     * toolu_<file>}), shaped as the real session {@code 0411e9a0-…} wrote its calls.
     */
    static String calls(String tool, String... files) {
        StringBuilder content = new StringBuilder();
        for (String f : files) {
            if (content.length() > 0) content.append(',');
            content.append("{\"type\":\"tool_use\",\"id\":\"toolu_")
                    .append(f.replace('.', '_'))
                    .append("\",\"name\":\"")
                    .append(tool)
                    .append("\",\"input\":{\"file_path\":\"/tmp/dash/proj5/")
                    .append(f)
                    .append("\"}}");
        }
        return "{\"parentUuid\":\"8f648956\",\"isSidechain\":false,\"message\":{\"id\":\"msg_cef36c5b\","
                + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-opus-5-5\",\"content\":["
                + content + "],\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"type\":\"assistant\","
                + "\"uuid\":\"dc545e8e\",\"timestamp\":\"" + Instant.now() + "\",\"sessionId\":\"" + SESSION
                + "\",\"version\":\"2.1.197\"}";
    }

    /** {@link #REJECTED} of call {@code toolu_<file>}, written now. */
    static String rejected(String file) {
        return REJECTED.formatted(Instant.now().toString())
                .replace("toolu_bcaa54c8", "toolu_" + file.replace('.', '_'));
    }

    /** The ids of the requests the stored rejections answer, in the order they were recorded. */
    List<Long> answeredRequests() throws Exception {
        List<Long> out = new ArrayList<>();
        for (StoredEvent e : store.page(
                new EventQuery(List.of(SESSION), List.of(PermissionAnswered.REJECTED), List.of(), null, 0, -1, 10))) {
            out.add(JSON.readTree(e.json()).path("request_event_id").asLong());
        }
        out.sort(null);
        return out;
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

    /**
     * Two Reads of one message wait together, both held. The user rejects the first in the terminal: its
     * hold is released and the other's stays, until Claude Code writes the interruption that ends the
     * turn for both (the rejection of the first is no answer to the second).
     */
    @Test
    void twoHeldPromptsOfOneMessageGetTheirOwnAnswers() throws Exception {
        AtomicInteger dashboards = new AtomicInteger(1);
        try (PermissionDesk desk = new PermissionDesk(dir.resolve("p.json"), dashboards::get, Clock.systemUTC())) {
            desk.update(JSON.readTree("{\"stream\":\"" + SESSION + "\",\"enabled\":true}"));
            TerminalAnswers answers = new TerminalAnswers(store, home, desk::settle);
            post("UserPromptSubmit", null);
            claudeWrites(calls("Read", "a.txt", "b.txt"));
            StoredEvent a = post("PermissionRequest", "Read", "a.txt", null);
            StoredEvent b = post("PermissionRequest", "Read", "b.txt", null);
            CompletableFuture<String> heldA = desk.offer(a);
            CompletableFuture<String> heldB = desk.offer(b);
            assertThat(answers.check()).isZero();

            claudeWrites(rejected("a.txt"));
            assertThat(answers.check())
                    .as("a.txt's rejection answers a.txt's prompt")
                    .isEqualTo(1);
            assertThat(answeredRequests()).containsExactly(a.id());
            assertThat(heldA.get(5, TimeUnit.SECONDS)).isEmpty();
            assertThat(heldB)
                    .as("b.txt's prompt is not answered by a.txt's rejection")
                    .isNotDone();
            assertThat(desk.holds()).extracting(h -> h.get("event_id")).containsExactly(b.id());

            claudeWrites(INTERRUPTED.formatted(Instant.now().toString()));
            assertThat(answers.check())
                    .as("the interruption ends the turn: b.txt's prompt too")
                    .isEqualTo(1);
            assertThat(answeredRequests()).containsExactly(a.id(), b.id());
            assertThat(heldB.get(5, TimeUnit.SECONDS)).isEmpty();
            assertThat(desk.holds()).isEmpty();
            assertThat(answers.check()).isZero();
        }
    }

    /**
     * The main agent's prompt and a subagent's, held in one stream; the later one is the subagent's.
     * Each is read in its own agent's transcript and answered when that one is rejected.
     */
    @Test
    void theMainAgentsPromptIsAnsweredWhileASubagentsWaitsAfterIt() throws Exception {
        String agent = "afa5c42deb48a20c0";
        Path sub = Files.createDirectories(ClaudeHome.subagentsDir(transcript)).resolve("agent-" + agent + ".jsonl");
        AtomicInteger dashboards = new AtomicInteger(1);
        try (PermissionDesk desk = new PermissionDesk(dir.resolve("p.json"), dashboards::get, Clock.systemUTC())) {
            desk.update(JSON.readTree("{\"stream\":\"" + SESSION + "\",\"enabled\":true}"));
            TerminalAnswers answers = new TerminalAnswers(store, home, desk::settle);
            claudeWrites(calls("Edit", "README.md"));
            claudeWrites(sub, calls("Read", "notes.txt"));
            StoredEvent main = post("PermissionRequest", "Edit", "README.md", null);
            StoredEvent subs = post("PermissionRequest", "Read", "notes.txt", agent);
            CompletableFuture<String> heldMain = desk.offer(main);
            CompletableFuture<String> heldSub = desk.offer(subs);

            claudeWrites(rejected("README.md"));
            claudeWrites(INTERRUPTED.formatted(Instant.now().toString()));
            assertThat(answers.check()).isEqualTo(1);
            assertThat(answeredRequests()).containsExactly(main.id());
            assertThat(heldMain.get(5, TimeUnit.SECONDS)).isEmpty();
            assertThat(heldSub).as("the subagent's transcript says nothing yet").isNotDone();

            claudeWrites(sub, rejected("notes.txt"));
            assertThat(answers.check()).isEqualTo(1);
            assertThat(answeredRequests()).containsExactly(main.id(), subs.id());
            assertThat(heldSub.get(5, TimeUnit.SECONDS)).isEmpty();
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
