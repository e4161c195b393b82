package dev.solo.monitor.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The hook events a transcript implies, with the field names Claude Code's hooks use: a prompt
 * becomes UserPromptSubmit ({@code prompt}, {@code prompt_id}); a {@code tool_use} block PreToolUse
 * ({@code tool_name}, {@code tool_input}, {@code tool_use_id}); its {@code tool_result} PostToolUse
 * ({@code tool_response}: the entry's {@code toolUseResult}), PostToolUseFailure ({@code error}) or,
 * when Claude Code refused the call ({@code toolDenialKind}), PermissionDenied ({@code reason}); an
 * assistant message that ends its turn ({@code stop_reason: end_turn}) Stop ({@code
 * last_assistant_message}); a compaction PostCompact. A subagent's file adds SubagentStart and
 * SubagentStop and puts its {@code agent_id} on every event.
 */
final class TranscriptEvents {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Importer.Sink sink;
    private final String agent;
    private final ImportProblems problems;
    private final Map<String, JsonNode> calls = new HashMap<>();
    private boolean started;
    private long lastAt;
    private String lastText;
    private String cwd;
    private String promptId;

    TranscriptEvents(Importer.Sink sink, String agent, ImportProblems problems) {
        this.sink = sink;
        this.agent = agent;
        this.problems = problems;
    }

    void read(Path file) throws IOException {
        Importer.lines(file, (number, text) -> line(file, number, text));
        if (agent != null && started) {
            ObjectNode f = fields(null);
            f.put("agent_type", "subagent");
            if (lastText != null) f.put("last_assistant_message", lastText);
            sink.event("SubagentStop", lastAt, f);
        }
    }

    /** One line; one that cannot be read is skipped and told to {@link #problems}. */
    private void line(Path file, long number, String text) {
        if (text == null) {
            problems.add(file, number, "longer than " + Importer.PAGE_BYTES / (1024 * 1024) + " MiB; skipped");
            return;
        }
        if (text.isBlank()) return;
        JsonNode e;
        try {
            e = MAPPER.readTree(text);
        } catch (JsonProcessingException ex) {
            problems.add(
                    file,
                    number,
                    "not JSON (" + ex.getOriginalMessage().lines().findFirst().orElse("") + "); skipped");
            return;
        }
        String type = e.path("type").asText();
        if (!type.equals("user") && !type.equals("assistant") && !type.equals("system")) return;
        long at = Importer.millis(e.path("timestamp").asText(null));
        if (at == 0) return;
        lastAt = at;
        if (e.hasNonNull("cwd")) cwd = e.get("cwd").asText();
        if (e.hasNonNull("promptId")) promptId = e.get("promptId").asText();
        if (!started) {
            started = true;
            ObjectNode f = fields(e);
            if (agent == null) {
                f.put("source", "import");
                sink.event("SessionStart", at, f);
            } else {
                f.put("agent_type", "subagent");
                sink.event("SubagentStart", at, f);
            }
        }
        switch (type) {
            case "user" -> user(e, at);
            case "assistant" -> assistant(e, at);
            default -> {
                if ("compact_boundary".equals(e.path("subtype").asText())) {
                    ObjectNode f = fields(e);
                    f.put("trigger", e.path("compactMetadata").path("trigger").asText("auto"));
                    sink.event("PostCompact", at, f);
                }
            }
        }
    }

    private void user(JsonNode e, long at) {
        JsonNode content = e.path("message").path("content");
        if (content.isTextual()) {
            if (e.path("isMeta").asBoolean() || e.path("isCompactSummary").asBoolean() || agent != null) return;
            ObjectNode f = fields(e);
            f.put("prompt", content.asText());
            sink.event("UserPromptSubmit", at, f);
            return;
        }
        for (JsonNode block : content) {
            if (!"tool_result".equals(block.path("type").asText())) continue;
            String id = block.path("tool_use_id").asText(null);
            JsonNode call = calls.get(id);
            ObjectNode f = fields(e);
            f.put("tool_use_id", id);
            if (call != null) {
                f.put("tool_name", call.path("name").asText());
                f.set("tool_input", call.path("input"));
            }
            String result = resultText(block.path("content"));
            if (e.hasNonNull("toolDenialKind") || refused(block, result)) {
                f.put("reason", result);
                sink.event("PermissionDenied", at, f);
            } else if (block.path("is_error").asBoolean()) {
                f.put("error", result);
                sink.event("PostToolUseFailure", at, f);
            } else {
                JsonNode r = e.get("toolUseResult");
                if (r != null && !r.isNull()) f.set("tool_response", r);
                else f.put("tool_response", result);
                sink.event("PostToolUse", at, f);
            }
        }
    }

    private void assistant(JsonNode e, long at) {
        JsonNode msg = e.path("message");
        for (JsonNode block : msg.path("content")) {
            String bt = block.path("type").asText();
            if (bt.equals("tool_use")) {
                String id = block.path("id").asText(null);
                if (id == null) continue;
                calls.put(id, block);
                ObjectNode f = fields(e);
                f.put("tool_name", block.path("name").asText());
                f.set("tool_input", block.path("input"));
                f.put("tool_use_id", id);
                sink.event("PreToolUse", at, f);
            } else if (bt.equals("text")) {
                lastText = block.path("text").asText();
            }
        }
        if (agent == null && "end_turn".equals(msg.path("stop_reason").asText()) && lastText != null) {
            ObjectNode f = fields(e);
            f.put("last_assistant_message", lastText);
            f.put("stop_hook_active", false);
            sink.event("Stop", at, f);
        }
    }

    private ObjectNode fields(JsonNode e) {
        ObjectNode f = MAPPER.createObjectNode();
        if (cwd != null) f.put("cwd", cwd);
        if (promptId != null) f.put("prompt_id", promptId); // assistant lines carry none: the turn's prompt
        if (agent != null) f.put("agent_id", agent);
        ObjectNode mark = f.putObject("solo_import");
        mark.put("uuid", e == null ? null : e.path("uuid").asText(null));
        return f;
    }

    /**
     * Whether an error result is Claude Code refusing the call: 2.1.3xx marks it ({@code toolDenialKind});
     * older versions only say so in the text ("Claude requested permissions to write to …, but you
     * haven't granted it yet", "The user doesn't want to proceed with this tool use").
     */
    static boolean refused(JsonNode block, String text) {
        if (!block.path("is_error").asBoolean() || text == null) return false;
        return text.contains("haven't granted it yet")
                || text.contains("requested permissions to")
                || text.contains("doesn't want to proceed with this tool use");
    }

    private static String resultText(JsonNode content) {
        if (content.isTextual()) return content.asText();
        StringBuilder b = new StringBuilder();
        for (JsonNode block : content) {
            String t = block.path("text").asText(null);
            if (t != null) b.append(b.length() > 0 ? "\n" : "").append(t);
        }
        return b.toString();
    }
}
