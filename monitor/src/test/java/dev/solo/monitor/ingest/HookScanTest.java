package dev.solo.monitor.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.solo.monitor.store.NewEvent;
import dev.solo.monitor.testing.HookFixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The streaming pass ({@link HookScan}) against the tree path it replaces on the hook route: for every
 * real payload in the test resources, reshaped variants of them and malformed input, {@link
 * Ingest#hook} must give exactly the event (or exactly the 400 message) the tree gives.
 */
class HookScanTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Ingest ingest = new Ingest();

    /** Every hook payload under src/test/resources: the fixtures, their variants, the recorded sessions. */
    static List<byte[]> payloads() throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(HookFixtures.DIR)) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) out.add(Files.readAllBytes(f));
        }
        Path sessions = HookFixtures.DIR.resolveSibling("claude-code-sessions");
        try (Stream<Path> files = Files.list(sessions)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".hooks.jsonl"))
                    .sorted()
                    .toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (!line.isBlank()) out.add(line.getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    @Test
    void everyRecordedPayloadGivesTheTreesEventAndTheCompactOnesAreStoredAsSent() throws Exception {
        List<byte[]> all = payloads();
        assertThat(all).hasSizeGreaterThan(100);
        HookScan scan = new HookScan(Ingest.DEFAULT_TRIM_ABOVE);
        int fastOnes = 0;
        for (byte[] body : all) {
            NewEvent fast = ingest.hook(body);
            NewEvent tree = ingest.tree(body);
            assertSame(fast, tree, body);
            String text = new String(body, StandardCharsets.UTF_8).strip();
            if (tree.json().equals(text)) {
                // what Claude Code sends: compact, read in one pass and stored as sent
                assertThat(scan.scan(body)).as(text).isNotNull();
                assertThat(fast.json()).isEqualTo(text);
                fastOnes++;
            } else if (!HookScan.compact(body, 0, body.length)) {
                assertThat(scan.scan(body)).as(text).isNull(); // documentation examples, pretty-printed
                assertThat(fast.json()).isEqualTo(tree.json());
            }
        }
        assertThat(fastOnes).isGreaterThan(all.size() * 9 / 10);
    }

    @Test
    void reshapedPayloadsGiveTheTreesEvent() throws Exception {
        Random random = new Random(14);
        for (byte[] body : payloads()) {
            ObjectNode root = (ObjectNode) JSON.readTree(body);
            for (int i = 0; i < 4; i++) {
                ObjectNode copy = root.deepCopy();
                reshape(copy, random);
                byte[] compact = JSON.writeValueAsBytes(copy);
                assertSame(ingest.hook(compact), ingest.tree(compact), compact);
                byte[] pretty = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(copy);
                assertThat(new HookScan(Ingest.DEFAULT_TRIM_ABOVE).scan(pretty)).isNull(); // not compact
                assertSame(ingest.hook(pretty), ingest.tree(pretty), pretty);
            }
        }
    }

    /** Moves, nulls, nests, wraps in arrays and retypes the fields the search looks for. */
    private static void reshape(ObjectNode root, Random random) {
        String[] keys = {"session_id", "tool_name", "tool_use_id", "agent_id", "cwd", "message", "tool_input"};
        for (String key : keys) {
            JsonNode v = root.get(key);
            switch (random.nextInt(7)) {
                case 0 -> root.putNull(key);
                case 1 -> {
                    root.remove(key);
                    root.putObject("a")
                            .putObject("b")
                            .set(key, v == null ? JSON.getNodeFactory().textNode("x") : v);
                }
                case 2 -> root.putArray("arr").addObject().put(key, "in-array");
                case 3 -> root.put(key, random.nextInt(1000) - 500);
                case 4 -> root.put(key, new java.math.BigDecimal("1.50"));
                case 5 -> root.putObject("deep").putObject("x").put(key, "deeper");
                default -> {
                    // as it was
                }
            }
        }
        if (random.nextBoolean()) root.put("tool_name", random.nextBoolean() ? "Read" : "NotebookEdit");
        if (random.nextBoolean()) root.putObject("tool_input").put("notebook_path", "/n.ipynb");
    }

    @Test
    void theSearchFindsWhatTheTreeFinds() throws Exception {
        String[] bodies = {
            "{\"a\":{\"session_id\":\"deep\"},\"session_id\":\"top\"}",
            "{\"a\":{\"b\":{\"session_id\":\"d2\"}},\"c\":{\"session_id\":\"d1\"}}",
            "{\"arr\":[{\"session_id\":\"in-array\"}],\"x\":[[{\"session_id\":\"y\"}]]}",
            "{\"session_id\":null,\"a\":{\"session_id\":\"x\"}}",
            "{\"session_id\":{\"x\":1},\"a\":{\"session_id\":\"x\"}}",
            "{\"session_id\":12,\"tool_use_id\":1.50,\"agent_id\":true,\"agent_type\":-0,\"cwd\":1e2}",
            "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"session_id\":\"level5\"}}}}}}",
            "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"session_id\":\"level6\"}}}}}}}",
            "{\"hook_event_name\":\"PostToolUse\",\"tool_name\":\"Read\",\"tool_input\":{\"file_path\":\"/f\"}}",
            "{\"tool_name\":\"NotebookEdit\",\"tool_input\":{\"notebook_path\":\"/n\",\"x\":{\"file_path\":\"/no\"}}}",
            "{\"tool_name\":\"Read\",\"a\":{\"tool_input\":{\"file_path\":\"/deep\"}},\"tool_input\":{\"file_path\":\"/top\"}}",
            "{\"tool_name\":\"Read\",\"tool_input\":[{\"file_path\":\"/in-array\"}]}",
            "{\"tool_name\":\"Read\",\"tool_input\":\"text\",\"a\":{\"tool_input\":{\"file_path\":\"/x\"}}}",
            "{\"hook_event_name\":{\"x\":1},\"a\":{\"hook_event_name\":\"Nested\"}}",
            "{\"hook_event_name\":\"Notification\",\"a\":{\"message\":\"deep\"},\"message\":null}",
            "{\"hook_event_name\":\"Elicitation\"}",
            "{\"hook_event_name\":\"PermissionRequest\",\"tool_name\":\"Write\"}",
            "{\"session_id\":\"\\u00e9\\\"\\\\\\/ \\n\",\"cwd\":\"  spaced  \",\"session_title\":\"t\"}",
            "{\"stream\":\"named\",\"working_directory\":\"/w\"}",
            "{}",
            " \n{\"session_id\":\"surrounded\"}\r\n ",
        };
        for (String b : bodies) {
            byte[] body = b.getBytes(StandardCharsets.UTF_8);
            assertSame(ingest.hook(body), ingest.tree(body), body);
        }
        assertThat(ingest.hook(bodies[0].getBytes(StandardCharsets.UTF_8)).stream())
                .isEqualTo("top");
        assertThat(ingest.hook(bodies[4].getBytes(StandardCharsets.UTF_8)).stream())
                .isEqualTo("unknown");
        assertThat(ingest.hook(bodies[7].getBytes(StandardCharsets.UTF_8)).stream())
                .isEqualTo("unknown");
        assertThat(ingest.hook(bodies[10].getBytes(StandardCharsets.UTF_8)).file())
                .isEqualTo("/top");
    }

    @Test
    void duplicateKeysAndLongStringsGoThroughTheTree() throws Exception {
        byte[] dup = "{\"session_id\":\"a\",\"session_id\":\"b\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(new HookScan(Ingest.DEFAULT_TRIM_ABOVE).scan(dup)).isNull();
        assertThat(ingest.hook(dup).stream()).isEqualTo("b");
        assertThat(ingest.hook(dup).json()).isEqualTo("{\"session_id\":\"b\"}");
        Ingest small = new Ingest(100, 10);
        byte[] longer = ("{\"session_id\":\"s\",\"x\":\"" + "y".repeat(101) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(new HookScan(100).scan(longer)).isNull();
        assertThat(small.hook(longer).cut()).isEqualTo(91);
        byte[] exact = ("{\"session_id\":\"s\",\"x\":\"" + "y".repeat(100) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(new HookScan(100).scan(exact)).isNotNull();
        assertSame(small.hook(exact), small.tree(exact), exact);
    }

    @Test
    void malformedInputGetsTheTreesMessage() throws Exception {
        List<byte[]> bad = new ArrayList<>();
        for (String s : new String[] {
            "",
            " ",
            "{",
            "[1,2]",
            "\"text\"",
            "12",
            "null",
            "{\"session_id\": ",
            "{\"a\":1}x",
            "{\"a\":1}{\"b\":2}",
            "{\"a\":01}",
            "{\"a\":1.}",
            "{\"a\":NaN}",
            "{'a':1}",
            "{\"a\":\"\t\"}",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "\uFEFF{\"a\":1}"
        }) {
            bad.add(s.getBytes(StandardCharsets.UTF_8));
        }
        bad.add(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '(', '"', '}'}); // invalid UTF-8
        bad.add(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'
        }); // a surrogate
        Random random = new Random(14);
        for (byte[] body : payloads()) {
            bad.add(java.util.Arrays.copyOf(body, random.nextInt(body.length - 1))); // cut short
            byte[] flipped = body.clone();
            flipped[random.nextInt(flipped.length)] = (byte) "{}[]\":,\\x\u0000".charAt(random.nextInt(10));
            bad.add(flipped); // often still valid: then the events must agree
        }
        for (byte[] body : bad) {
            String treeError = null;
            NewEvent treeEvent = null;
            try {
                treeEvent = ingest.tree(body);
            } catch (BadPayloadException e) {
                treeError = e.getMessage();
            }
            if (treeError != null) {
                assertThatThrownBy(() -> ingest.hook(body))
                        .isInstanceOf(BadPayloadException.class)
                        .hasMessage(treeError);
            } else {
                assertSame(ingest.hook(body), treeEvent, body);
            }
        }
    }

    /** Every field equal, and the stored JSON the same document. */
    private static void assertSame(NewEvent fast, NewEvent tree, byte[] body) throws IOException {
        String what = new String(body, StandardCharsets.UTF_8);
        assertThat(fast.stream()).as(what).isEqualTo(tree.stream());
        assertThat(fast.event()).as(what).isEqualTo(tree.event());
        assertThat(fast.tool()).as(what).isEqualTo(tree.tool());
        assertThat(fast.toolUseId()).as(what).isEqualTo(tree.toolUseId());
        assertThat(fast.agentId()).as(what).isEqualTo(tree.agentId());
        assertThat(fast.agentType()).as(what).isEqualTo(tree.agentType());
        assertThat(fast.file()).as(what).isEqualTo(tree.file());
        assertThat(fast.cwd()).as(what).isEqualTo(tree.cwd());
        assertThat(fast.title()).as(what).isEqualTo(tree.title());
        assertThat(fast.notice()).as(what).isEqualTo(tree.notice());
        assertThat(fast.source()).as(what).isEqualTo(tree.source());
        assertThat(fast.cut()).as(what).isEqualTo(tree.cut());
        assertThat(JSON.readTree(fast.json())).as(what).isEqualTo(JSON.readTree(tree.json()));
    }
}
