package dev.solo.monitor.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.solo.monitor.store.NewEvent;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Set;

/**
 * Turns request bodies into {@link NewEvent}s: the raw Claude Code hook JSON of {@code /api/hooks},
 * and claude-mpm's {@code {namespace, event, data}} envelope of {@code /api/events}.
 *
 * <p>Nothing is dropped: unknown event names and fields stay in the stored JSON. Only oversized
 * strings are trimmed (see {@link Trimmer}). Numbers keep their exact value. Thread-safe.
 */
public final class Ingest {
    /** Default: strings over 64 Ki characters are trimmed to their first 4 Ki characters. */
    public static final int DEFAULT_TRIM_ABOVE = 64 * 1024;

    public static final int DEFAULT_TRIM_KEEP = 4 * 1024;

    /**
     * The longest stream id (a {@code session_id}, or a generic source's stream name) accepted, in
     * characters. Claude Code's are 36; ids end up in URLs, file names of exports and every row.
     */
    public static final int MAX_STREAM_ID = 256;

    private static final Set<String> FILE_TOOLS = Set.of("Read", "Edit", "Write", "MultiEdit", "NotebookEdit");
    private static final int SEARCH_DEPTH = 6;

    private final ObjectMapper mapper = JsonMapper.builder()
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private final Trimmer trimmer;

    public Ingest(int trimAbove, int trimKeep) {
        this.trimmer = new Trimmer(trimAbove, trimKeep);
    }

    public Ingest() {
        this(DEFAULT_TRIM_ABOVE, DEFAULT_TRIM_KEEP);
    }

    /** A raw hook payload, as Claude Code posts it. */
    public NewEvent hook(byte[] body) throws BadPayloadException {
        ObjectNode root = parseObject(body, "a Claude Code hook payload");
        return build(body, root, root, "hook", text(root, "hook_event_name"));
    }

    /**
     * A claude-mpm envelope {@code {namespace, event, data}}. Nested {@code data} objects are searched
     * for {@code session_id}, {@code cwd}, {@code hook_event_name} and the tool fields; the stored JSON
     * is the whole envelope.
     */
    public NewEvent envelope(byte[] body) throws BadPayloadException {
        ObjectNode root = parseObject(body, "an envelope {namespace, event, data}");
        JsonNode data = root.get("data");
        if (data == null || !data.isObject()) {
            throw new BadPayloadException("the envelope has no \"data\" object; send {\"namespace\": …, \"event\": …,"
                    + " \"data\": {…}}, or post raw hook JSON to /api/hooks");
        }
        String name = find(root, "hook_event_name");
        if (name == null) name = find(root, "hook_name");
        if (name == null) name = find(data, "subtype");
        if (name == null) name = text(root, "event");
        return build(body, root, data, "envelope", name);
    }

    private NewEvent build(byte[] body, ObjectNode root, JsonNode data, String source, String name)
            throws BadPayloadException {
        String stream = find(data, "session_id");
        if (stream == null) stream = find(root, "session_id");
        if (stream == null) stream = find(root, "stream");
        if (stream == null || stream.isBlank()) stream = "unknown";
        if (stream.length() > MAX_STREAM_ID) {
            throw new BadPayloadException("the session_id is " + stream.length() + " characters long; the monitor"
                    + " accepts at most " + MAX_STREAM_ID + " (Claude Code's are 36). Send a shorter one; nothing"
                    + " was stored.");
        }
        String event = name == null || name.isBlank() ? "unknown" : name;
        String tool = find(data, "tool_name");
        String toolUseId = find(data, "tool_use_id");
        String agentId = find(data, "agent_id");
        String agentType = find(data, "agent_type");
        String cwd = find(data, "cwd");
        if (cwd == null) cwd = find(data, "working_directory");
        String title = find(root, "session_title");
        String file = null;
        if (tool != null && FILE_TOOLS.contains(tool)) {
            JsonNode input = findNode(data, "tool_input");
            if (input != null) {
                file = text(input, "file_path");
                if (file == null) file = text(input, "notebook_path");
            }
        }
        String notice = notice(event, data, tool);
        long cut = trimmer.trim(root);
        String json = cut == 0 ? Verbatim.asWritten(body, root) : null;
        if (json == null) {
            try {
                json = mapper.writeValueAsString(root);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write back parsed JSON", e);
            }
        }
        return new NewEvent(
                stream, event, tool, toolUseId, agentId, agentType, file, cwd, title, notice, source, cut, json);
    }

    private static String notice(String event, JsonNode data, String tool) {
        switch (event) {
            case "PermissionRequest":
                return "Permission needed" + (tool != null ? " for " + tool : "");
            case "Notification":
            case "Elicitation":
                String m = find(data, "message");
                return m != null ? m : event;
            default:
                return null;
        }
    }

    private ObjectNode parseObject(byte[] body, String what) throws BadPayloadException {
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new BadPayloadException("malformed JSON: " + e.getOriginalMessage()
                    + (loc != null ? " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")" : "")
                    + ". Send " + what + " as one JSON object.");
        } catch (IOException e) {
            throw new BadPayloadException("cannot read the body: " + e.getMessage());
        }
        if (node == null || node.isMissingNode()) {
            throw new BadPayloadException("the body is empty. Send " + what + " as one JSON object.");
        }
        if (!(node instanceof ObjectNode obj)) {
            throw new BadPayloadException(
                    "expected a JSON object, got " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                            + ". Send " + what + " as one JSON object.");
        }
        return obj;
    }

    private static String text(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v != null && v.isValueNode() && !v.isNull() ? v.asText() : null;
    }

    /** The first scalar value of {@code key}, searched breadth-first through nested objects. */
    static String find(JsonNode start, String key) {
        JsonNode n = findNode(start, key);
        return n != null && n.isValueNode() && !n.isNull() ? n.asText() : null;
    }

    private static JsonNode findNode(JsonNode start, String key) {
        Deque<JsonNode> level = new ArrayDeque<>();
        level.add(start);
        for (int depth = 0; depth < SEARCH_DEPTH && !level.isEmpty(); depth++) {
            Deque<JsonNode> next = new ArrayDeque<>();
            for (JsonNode n : level) {
                JsonNode v = n.get(key);
                if (v != null && !v.isNull()) return v;
                for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
                    JsonNode child = it.next();
                    if (child.isObject()) next.add(child);
                }
            }
            level = next;
        }
        return null;
    }
}
