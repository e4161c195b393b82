package dev.solo.monitor.permission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.solo.monitor.ingest.Ingest;
import dev.solo.monitor.store.NewEvent;
import dev.solo.monitor.store.StoredEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Holds of parallel calls of one tool: the answer of one call releases that call's hold and no other.
 * Real payload shapes (see {@code fixtures/parallel-holds/SOURCES.md}), turned into stored events by the
 * real {@link Ingest}, in the order Claude Code sends them.
 */
@Timeout(30)
class ParallelHoldsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final Ingest ingest = new Ingest();
    final AtomicInteger ids = new AtomicInteger(100);

    static List<String> fixture(String name) throws IOException {
        try (InputStream in = ParallelHoldsTest.class.getResourceAsStream("/fixtures/parallel-holds/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    StoredEvent stored(String payload) throws Exception {
        NewEvent n = ingest.hook(payload.getBytes(StandardCharsets.UTF_8));
        return new StoredEvent(
                ids.incrementAndGet(),
                0,
                n.stream(),
                n.event(),
                n.tool(),
                n.toolUseId(),
                n.agentId(),
                n.file(),
                n.source(),
                n.cut(),
                n.json());
    }

    static PermissionDesk holdingDesk() throws IOException {
        PermissionDesk d = new PermissionDesk(null, () -> 1, Clock.systemUTC());
        d.update(JSON.readTree("{\"all\":true}"));
        return d;
    }

    /** As IngestRoute does for each stored event: settle, then offer. */
    static CompletableFuture<String> feed(PermissionDesk d, StoredEvent e) {
        d.settle(e);
        return d.offer(e);
    }

    /**
     * Read A (inside the project) and Read B (outside: it asks) run in parallel; A's result must not
     * release B's hold, whose prompt is still open in the terminal. B's own result does.
     */
    @Test
    void theOtherCallsResultLeavesTheHoldAlone() throws Exception {
        List<String> lines = fixture("parallel-read.hooks.jsonl");
        try (PermissionDesk d = holdingDesk()) {
            feed(d, stored(lines.get(0))); // PreToolUse A
            feed(d, stored(lines.get(1))); // PreToolUse B
            CompletableFuture<String> b = feed(d, stored(lines.get(2))); // PermissionRequest B: held
            assertThat(b).isNotDone();
            assertThat(d.holds()).extracting(h -> h.get("detail")).containsExactly("/home/dev/other/secrets.txt");
            feed(d, stored(lines.get(3))); // PostToolUse A
            assertThat(b).as("A's result released B's hold").isNotDone();
            assertThat(d.holds()).hasSize(1);
            feed(d, stored(lines.get(4))); // PostToolUse B: allowed in the terminal
            assertThat(b.get(1, TimeUnit.SECONDS)).isEmpty();
            assertThat(d.holds()).isEmpty();
            feed(d, stored(lines.get(5))); // the batch: nothing left to release
        }
    }

    /** Without the PreToolUse hooks (not installed for them), the input tells the calls apart. */
    @Test
    void withoutPreToolUseTheInputTellsTheCallsApart() throws Exception {
        List<String> lines = fixture("parallel-read.hooks.jsonl");
        try (PermissionDesk d = holdingDesk()) {
            CompletableFuture<String> b = feed(d, stored(lines.get(2)));
            feed(d, stored(lines.get(3))); // A's result
            assertThat(b).isNotDone();
            feed(d, stored(lines.get(5))); // the batch lists B: its answer came
            assertThat(b.get(1, TimeUnit.SECONDS)).isEmpty();
        }
    }

    /**
     * The same command twice in parallel, both asking: each answer releases its own hold, found by the
     * tool_use_id its PreToolUse carried, the later call's first.
     */
    @Test
    void twoHoldsOfTheSameCommandAreReleasedOneByOne() throws Exception {
        List<String> lines = fixture("parallel-read.hooks.jsonl");
        String preB = lines.get(1), reqB = lines.get(2), postB = lines.get(4);
        String preC = withId(preB, "toolu_c"), postC = withId(postB, "toolu_c");
        try (PermissionDesk d = holdingDesk()) {
            feed(d, stored(preB));
            feed(d, stored(preC));
            CompletableFuture<String> b = feed(d, stored(reqB));
            CompletableFuture<String> c = feed(d, stored(reqB));
            assertThat(d.holds()).hasSize(2);
            feed(d, stored(postC));
            assertThat(c.get(1, TimeUnit.SECONDS)).isEmpty();
            assertThat(b).as("C's result released B's hold").isNotDone();
            feed(d, stored(postB));
            assertThat(b.get(1, TimeUnit.SECONDS)).isEmpty();
        }
    }

    /**
     * A subagent that runs on after the main turn ended (Claude Code's async Agent: the fixtures' main
     * Stop comes before the subagent's calls) keeps its hold until its own turn ends.
     */
    @Test
    void theMainTurnEndingLeavesASubagentsHold() throws Exception {
        List<String> lines = fixture("parallel-read.hooks.jsonl");
        String sub = withAgent(lines.get(2), "afa5c42deb48a20c0");
        try (PermissionDesk d = holdingDesk()) {
            CompletableFuture<String> held = feed(d, stored(sub));
            feed(d, stored(event(lines.get(0), "Stop", null)));
            assertThat(held).isNotDone();
            feed(d, stored(event(lines.get(0), "SubagentStop", "afa5c42deb48a20c0")));
            assertThat(held.get(1, TimeUnit.SECONDS)).isEmpty();
        }
    }

    /** A prompt rejected in the terminal releases the hold of that request, not another one. */
    @Test
    void aRejectionReleasesItsOwnRequestsHold() throws Exception {
        List<String> lines = fixture("parallel-read.hooks.jsonl");
        try (PermissionDesk d = holdingDesk()) {
            StoredEvent first = stored(lines.get(2));
            CompletableFuture<String> a = feed(d, first);
            StoredEvent second = stored(withInput(lines.get(2), "/home/dev/other/b.txt"));
            CompletableFuture<String> b = feed(d, second);
            NewEvent rejected = PermissionAnswered.inTerminal(second);
            feed(
                    d,
                    new StoredEvent(
                            ids.incrementAndGet(),
                            0,
                            rejected.stream(),
                            rejected.event(),
                            rejected.tool(),
                            rejected.toolUseId(),
                            rejected.agentId(),
                            null,
                            rejected.source(),
                            0,
                            rejected.json()));
            assertThat(b.get(1, TimeUnit.SECONDS)).isEmpty();
            assertThat(a).isNotDone();
        }
    }

    static String withId(String payload, String id) throws IOException {
        ObjectNode n = (ObjectNode) JSON.readTree(payload);
        n.put("tool_use_id", id);
        return n.toString();
    }

    static String withAgent(String payload, String agent) throws IOException {
        ObjectNode n = (ObjectNode) JSON.readTree(payload);
        n.put("agent_id", agent);
        n.put("agent_type", "general-purpose");
        return n.toString();
    }

    static String withInput(String payload, String path) throws IOException {
        ObjectNode n = (ObjectNode) JSON.readTree(payload);
        ((ObjectNode) n.get("tool_input")).put("file_path", path);
        return n.toString();
    }

    /** {@code payload}'s session fields with another event name (and agent). */
    static String event(String payload, String name, String agent) throws IOException {
        ObjectNode from = (ObjectNode) JSON.readTree(payload);
        ObjectNode n = JSON.createObjectNode();
        for (String f : new ArrayList<>(List.of("session_id", "transcript_path", "cwd", "prompt_id")))
            n.set(f, from.get(f));
        n.put("hook_event_name", name);
        if (agent != null) n.put("agent_id", agent);
        return n.toString();
    }
}
