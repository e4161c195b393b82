package dev.solo.monitor.derive;

import com.fasterxml.jackson.databind.JsonNode;
import dev.solo.monitor.store.StoredEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Pairs {@code PreToolUse} with its {@code PostToolUse} or {@code PostToolUseFailure} by {@code
 * tool_use_id}. A call's status is {@code running} (no answer yet), {@code waiting} (a permission
 * request is open), {@code ok}, {@code failed} or {@code denied}. Its duration is Claude Code's {@code
 * duration_ms} when the payload has one, else the time between the two events at the server. Each
 * call also carries a one-line {@code input_summary} and, once it succeeded, an {@code output} line
 * ({@link Summary}); the full answer is the Post event ({@code post_id}).
 *
 * <p>Denials: a {@code PermissionDenied} names the call and its {@code reason}. In {@code -p} mode a
 * refused call gets no Post event at all; the {@code PostToolBatch} that closes the batch lists it
 * with the refusal as its {@code tool_response} ("Claude requested permissions to write … but you
 * haven't granted it yet"), so a call still open when its batch closes was denied, for that reason.
 * A {@code PermissionRequest} carries no {@code tool_use_id}: it belongs to the latest open call of
 * the same tool and agent.
 *
 * <p>A call whose input Claude Code refused before running it fires no Pre or Post hook; its batch
 * lists it with a {@code <tool_use_error>} answer, and it is a {@code failed} call with that message.
 */
public final class ToolCalls {
    /** The events this pairing reads. */
    public static final List<String> EVENTS = List.of(
            "PreToolUse",
            "PostToolUse",
            "PostToolUseFailure",
            "PermissionRequest",
            "PermissionDenied",
            "PostToolBatch");

    private ToolCalls() {}

    /** The calls found in {@code events} (oldest first), in the order they started. */
    public static List<Map<String, Object>> pair(List<StoredEvent> events) {
        Map<String, Map<String, Object>> calls = new LinkedHashMap<>();
        List<Map<String, Object>> unpaired = new ArrayList<>();
        for (StoredEvent e : events) {
            String id = e.toolUseId();
            switch (e.event()) {
                case "PreToolUse" -> {
                    Map<String, Object> c = call(calls, unpaired, id, e);
                    c.put("pre_id", e.id());
                    c.put("started", Instant.ofEpochMilli(e.receivedMillis()).toString());
                    c.put("started_ms", e.receivedMillis());
                    c.put("input", Summary.hookObject(Payload.of(e.json())).get("tool_input"));
                }
                case "PermissionRequest" -> {
                    Map<String, Object> c = id != null ? calls.get(id) : openCall(calls, e);
                    if (c != null && "running".equals(c.get("status"))) {
                        c.put("status", "waiting");
                        c.put("permission_id", e.id());
                    }
                }
                case "PostToolUse", "PostToolUseFailure" -> {
                    Map<String, Object> c = call(calls, unpaired, id, e);
                    boolean failed = e.event().equals("PostToolUseFailure");
                    JsonNode p = Summary.hookObject(Payload.of(e.json()));
                    c.put("post_id", e.id());
                    c.put("ended", Instant.ofEpochMilli(e.receivedMillis()).toString());
                    c.put("status", failed ? "failed" : "ok");
                    if (failed) c.put("error", Payload.text(p, "error"));
                    else c.put("output", Summary.output(e.tool(), p.get("tool_response")));
                    JsonNode d = p.get("duration_ms");
                    if (d != null && d.isNumber()) {
                        c.put("duration_ms", d.asLong());
                    } else if (c.get("started_ms") instanceof Long s) {
                        c.put("duration_ms", e.receivedMillis() - s);
                    }
                    if (c.get("input") == null) c.put("input", p.get("tool_input"));
                }
                case "PermissionDenied" -> {
                    JsonNode p = Summary.hookObject(Payload.of(e.json()));
                    Map<String, Object> c = id != null ? call(calls, unpaired, id, e) : openCall(calls, e);
                    if (c == null) break;
                    deny(c, e, Payload.text(p, "reason"), "denied by Claude Code's permission rules");
                    if (c.get("input") == null) c.put("input", p.get("tool_input"));
                }
                case "PostToolBatch" -> {
                    JsonNode p = Summary.hookObject(Payload.of(e.json()));
                    for (JsonNode t : p.path("tool_calls")) {
                        String tid = Payload.text(t, "tool_use_id");
                        JsonNode r = t.get("tool_response");
                        Map<String, Object> c = calls.get(tid);
                        if (c == null && tid != null && refusal(r) != null) {
                            refused(calls, tid, t, e, refusal(r));
                            continue;
                        }
                        if (c == null || !isOpen(c)) continue;
                        String reason = r == null ? null : r.isTextual() ? r.asText() : Summary.output(null, r);
                        deny(c, e, reason, "not run: the batch closed without a result");
                    }
                }
                default -> {
                    // not a tool event
                }
            }
        }
        List<Map<String, Object>> out = new ArrayList<>(calls.values());
        out.addAll(unpaired);
        for (Map<String, Object> c : out) {
            c.remove("started_ms");
            c.put("input_summary", Summary.input((String) c.get("tool"), (JsonNode) c.get("input")));
        }
        return out;
    }

    /**
     * The message of a {@code <tool_use_error>…</tool_use_error>} answer: Claude Code refused the call's
     * input before running it (a file that does not exist, an Edit of a file not read first), and no
     * PreToolUse or PostToolUse hook fired for it. Null for any other answer.
     */
    private static String refusal(JsonNode r) {
        if (r == null || !r.isTextual()) return null;
        String s = r.asText().strip();
        if (!s.startsWith(TOOL_USE_ERROR) || !s.endsWith(TOOL_USE_ERROR_END)) return null;
        return s.substring(TOOL_USE_ERROR.length(), s.length() - TOOL_USE_ERROR_END.length())
                .strip();
    }

    private static final String TOOL_USE_ERROR = "<tool_use_error>";
    private static final String TOOL_USE_ERROR_END = "</tool_use_error>";

    /** A call only its batch names (see {@link #refusal}): failed, at the batch's time, with the refusal. */
    private static void refused(
            Map<String, Map<String, Object>> calls, String id, JsonNode t, StoredEvent e, String why) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("tool_use_id", id);
        c.put("tool", Payload.text(t, "tool_name"));
        c.put("agent_id", e.agentId());
        c.put("status", "failed");
        c.put("post_id", e.id());
        String at = Instant.ofEpochMilli(e.receivedMillis()).toString();
        c.put("started", at);
        c.put("ended", at);
        c.put("error", Summary.clip(why.isEmpty() ? "refused before it ran" : why));
        c.put("input", t.get("tool_input"));
        calls.put(id, c);
    }

    private static void deny(Map<String, Object> c, StoredEvent e, String reason, String fallback) {
        c.put("status", "denied");
        c.put("error", reason == null || reason.isBlank() ? fallback : Summary.clip(reason));
        c.put("post_id", e.id());
        c.put("ended", Instant.ofEpochMilli(e.receivedMillis()).toString());
    }

    private static boolean isOpen(Map<String, Object> c) {
        return "running".equals(c.get("status")) || "waiting".equals(c.get("status"));
    }

    /** The latest call of the event's tool and agent that has no answer yet, or null. */
    private static Map<String, Object> openCall(Map<String, Map<String, Object>> calls, StoredEvent e) {
        Map<String, Object> found = null;
        for (Map<String, Object> c : calls.values()) {
            if (isOpen(c) && Objects.equals(c.get("tool"), e.tool()) && Objects.equals(c.get("agent_id"), e.agentId()))
                found = c;
        }
        return found;
    }

    private static Map<String, Object> call(
            Map<String, Map<String, Object>> calls, List<Map<String, Object>> unpaired, String id, StoredEvent e) {
        Map<String, Object> c;
        if (id == null) {
            c = new LinkedHashMap<>();
            unpaired.add(c);
        } else {
            c = calls.computeIfAbsent(id, k -> new LinkedHashMap<>());
        }
        c.putIfAbsent("tool_use_id", id);
        if (e.tool() != null) c.put("tool", e.tool());
        c.putIfAbsent("agent_id", e.agentId());
        c.putIfAbsent("status", "running");
        return c;
    }
}
