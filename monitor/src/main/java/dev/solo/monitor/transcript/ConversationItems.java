package dev.solo.monitor.transcript;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.solo.monitor.derive.Summary;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns transcript lines into what a person reads: the user's prompts, the assistant's text (Markdown,
 * rendered by the page), its tool calls and their results, thinking, compactions and API errors.
 * Bookkeeping entries (attachments, queue operations, snapshots, {@code last-prompt}, …) are left out.
 *
 * <p>The transcript format is Claude Code's (2.1.x, seen in the fixtures): one JSON object per line;
 * {@code type} {@code user} with {@code message.content} a string (a prompt) or an array of {@code
 * tool_result} blocks (with {@code toolUseResult}, {@code toolDenialKind}); {@code assistant} with
 * {@code message.{id, model, content[], usage}} (one line per content block, the same {@code id} and
 * {@code usage} repeated: the usage is reported once per message id); {@code system} with {@code
 * subtype} {@code compact_boundary} ({@code compactMetadata}) or {@code api_error}; a {@code user}
 * line with {@code isCompactSummary} holds the summary that replaced the compacted conversation.
 * Entries with {@code isSidechain} belong to a subagent and carry its {@code agentId}.
 *
 * <p>Every item: {@code kind, uuid, offset, time}, and {@code sidechain}/{@code agent_id} for subagent
 * work. Long texts are cut to {@link #MAX_TEXT} characters (tool results to {@link #MAX_RESULT}) with
 * a note of how much was left out. Not thread-safe (one per page).
 */
public final class ConversationItems {
    public static final int MAX_TEXT = 50_000;
    public static final int MAX_RESULT = 4_000;
    private static final int MAX_INPUT_STRING = 2_000;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Set<String> messagesSeen = new HashSet<>();
    private final List<Map<String, Object>> items = new ArrayList<>();

    /** The items of {@code page}, in file order. */
    public static List<Map<String, Object>> of(TranscriptPager.Page page) {
        ConversationItems c = new ConversationItems();
        for (TranscriptPager.Line l : page.lines()) c.add(l);
        return c.items;
    }

    void add(TranscriptPager.Line line) {
        if (line.tooLong()) {
            Map<String, Object> m = item("skipped", null, line.offset());
            m.put("text", "an entry over " + TranscriptPager.MAX_LINE / (1024 * 1024) + " MB was skipped");
            return;
        }
        JsonNode e;
        try {
            e = MAPPER.readTree(line.text());
        } catch (Exception ex) {
            return; // a line Claude Code did not finish, or not JSON: nothing a person reads
        }
        if (e == null || !e.isObject()) return;
        String type = e.path("type").asText();
        switch (type) {
            case "user" -> user(e, line.offset());
            case "assistant" -> assistant(e, line.offset());
            case "system" -> system(e, line.offset());
            default -> {
                // attachments, queue operations, snapshots, last-prompt, cost-state: bookkeeping
            }
        }
    }

    private void user(JsonNode e, long offset) {
        JsonNode content = e.path("message").path("content");
        if (e.path("isCompactSummary").asBoolean()) {
            put(item("summary", e, offset), "text", text(content), MAX_TEXT);
            return;
        }
        if (content.isTextual()) {
            String text = content.asText();
            if (text.startsWith("<task-notification>")) {
                Map<String, Object> m = item("task", e, offset);
                m.put("task_id", tag(text, "task-id"));
                m.put("tool_use_id", tag(text, "tool-use-id"));
                m.put("status", tag(text, "status"));
                put(m, "text", join(tag(text, "summary"), tag(text, "result")), MAX_TEXT);
                return;
            }
            if (e.path("isMeta").asBoolean()) return; // Claude Code's own reminders
            put(item("prompt", e, offset), "text", text, MAX_TEXT);
            return;
        }
        for (JsonNode block : content) {
            String bt = block.path("type").asText();
            if (bt.equals("tool_result")) {
                Map<String, Object> m = item("result", e, offset);
                m.put("tool_use_id", block.path("tool_use_id").asText(null));
                m.put("is_error", block.path("is_error").asBoolean());
                put(m, "text", text(block.path("content")), MAX_RESULT);
                JsonNode r = e.path("toolUseResult");
                if (r.isObject() && r.hasNonNull("agentId"))
                    m.put("agent_id", r.get("agentId").asText());
                if (e.hasNonNull("toolDenialKind"))
                    m.put("denied", e.get("toolDenialKind").asText());
            } else if (bt.equals("text") && !e.path("isMeta").asBoolean()) {
                put(item("prompt", e, offset), "text", block.path("text").asText(), MAX_TEXT);
            }
        }
    }

    private void assistant(JsonNode e, long offset) {
        JsonNode msg = e.path("message");
        String id = msg.path("id").asText(null);
        boolean first = id == null || messagesSeen.add(id);
        for (JsonNode block : msg.path("content")) {
            Map<String, Object> m;
            switch (block.path("type").asText()) {
                case "text" -> {
                    m = item("text", e, offset);
                    put(m, "text", block.path("text").asText(), MAX_TEXT);
                }
                case "thinking" -> {
                    m = item("thinking", e, offset);
                    put(m, "text", block.path("thinking").asText(), MAX_RESULT);
                }
                case "tool_use" -> {
                    m = item("tool", e, offset);
                    String name = block.path("name").asText();
                    m.put("id", block.path("id").asText(null));
                    m.put("name", name);
                    JsonNode input = block.path("input");
                    m.put("summary", Summary.input(name, input));
                    m.put("input", shorten(input));
                }
                default -> {
                    continue;
                }
            }
            m.put("message_id", id);
            m.put("model", msg.path("model").asText(null));
            if (first && msg.has("usage")) {
                m.put("usage", msg.get("usage"));
                first = false;
            }
        }
    }

    private void system(JsonNode e, long offset) {
        String subtype = e.path("subtype").asText();
        if (subtype.equals("compact_boundary")) {
            Map<String, Object> m = item("compaction", e, offset);
            JsonNode meta = e.path("compactMetadata");
            m.put("trigger", meta.path("trigger").asText(null));
            if (meta.has("preTokens")) m.put("pre_tokens", meta.get("preTokens").asLong());
            if (meta.has("postTokens"))
                m.put("post_tokens", meta.get("postTokens").asLong());
        } else if (subtype.equals("api_error") || "error".equals(e.path("level").asText())) {
            Map<String, Object> m = item("error", e, offset);
            String text = e.path("content").asText("");
            if (text.isEmpty()) text = e.path("error").toString();
            put(m, "text", text, MAX_RESULT);
        }
    }

    private Map<String, Object> item(String kind, JsonNode e, long offset) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind);
        m.put("offset", offset);
        if (e != null) {
            m.put("uuid", e.path("uuid").asText(null));
            m.put("time", e.path("timestamp").asText(null));
            if (e.path("isSidechain").asBoolean()) {
                m.put("sidechain", true);
                m.put("agent_id", e.path("agentId").asText(null));
            }
        }
        items.add(m);
        return m;
    }

    private static void put(Map<String, Object> m, String key, String text, int max) {
        if (text != null && text.length() > max) {
            m.put(key, text.substring(0, max));
            m.put("cut", text.length() - max);
        } else {
            m.put(key, text);
        }
    }

    /** A string, or the text blocks of a content array, joined by blank lines. */
    static String text(JsonNode content) {
        if (content.isTextual()) return content.asText();
        StringBuilder b = new StringBuilder();
        for (JsonNode block : content) {
            String t = block.isTextual() ? block.asText() : block.path("text").asText(null);
            if (t == null && "image".equals(block.path("type").asText())) t = "[image]";
            if (t != null) b.append(b.length() > 0 ? "\n\n" : "").append(t);
        }
        return b.toString();
    }

    /** The input with long strings cut (a Write's content), so a page stays small. */
    private static JsonNode shorten(JsonNode input) {
        if (!input.isObject()) return input;
        ObjectNode copy = input.deepCopy();
        copy.fields().forEachRemaining(f -> {
            if (f.getValue().isTextual() && f.getValue().asText().length() > MAX_INPUT_STRING) {
                String v = f.getValue().asText();
                f.setValue(TextNode.valueOf(v.substring(0, MAX_INPUT_STRING) + "… [" + (v.length() - MAX_INPUT_STRING)
                        + " more characters]"));
            }
        });
        return copy;
    }

    private static String tag(String text, String name) {
        int a = text.indexOf("<" + name + ">");
        int b = text.indexOf("</" + name + ">");
        return a < 0 || b < a ? null : text.substring(a + name.length() + 2, b).trim();
    }

    private static String join(String a, String b) {
        if (a == null) return b;
        if (b == null) return a;
        return a + "\n\n" + b;
    }
}
