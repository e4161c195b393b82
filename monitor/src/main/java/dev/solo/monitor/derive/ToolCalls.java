package dev.solo.monitor.derive;

import com.fasterxml.jackson.databind.JsonNode;
import dev.solo.monitor.store.StoredEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pairs {@code PreToolUse} with its {@code PostToolUse} or {@code PostToolUseFailure} by {@code
 * tool_use_id}. A call's status is {@code running} (no answer yet), {@code waiting} (a permission
 * request is open), {@code ok}, {@code failed} or {@code denied}. Its duration is Claude Code's {@code
 * duration_ms} when the payload has one, else the time between the two events at the server. Each
 * call also carries a one-line {@code input_summary} and, once it succeeded, an {@code output} line
 * ({@link Summary}); the full answer is the Post event ({@code post_id}).
 */
public final class ToolCalls {
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
                    c.put(
                            "started",
                            java.time.Instant.ofEpochMilli(e.receivedMillis()).toString());
                    c.put("started_ms", e.receivedMillis());
                    c.put("input", Summary.hookObject(Payload.of(e.json())).get("tool_input"));
                    if ("running".equals(c.get("status")) || c.get("status") == null) c.put("status", "running");
                }
                case "PermissionRequest" -> {
                    if (id == null) break; // permission requests usually carry no tool_use_id
                    Map<String, Object> c = call(calls, unpaired, id, e);
                    if ("running".equals(c.get("status"))) c.put("status", "waiting");
                }
                case "PostToolUse", "PostToolUseFailure" -> {
                    Map<String, Object> c = call(calls, unpaired, id, e);
                    boolean failed = e.event().equals("PostToolUseFailure");
                    JsonNode p = Summary.hookObject(Payload.of(e.json()));
                    c.put("post_id", e.id());
                    c.put(
                            "ended",
                            java.time.Instant.ofEpochMilli(e.receivedMillis()).toString());
                    c.put("status", failed ? "failed" : "ok");
                    if (failed) c.put("error", Payload.text(p, "error"));
                    else c.put("output", Summary.output(p.get("tool_response")));
                    JsonNode d = p.get("duration_ms");
                    if (d != null && d.isNumber()) {
                        c.put("duration_ms", d.asLong());
                    } else if (c.get("started_ms") instanceof Long s) {
                        c.put("duration_ms", e.receivedMillis() - s);
                    }
                    if (c.get("input") == null) c.put("input", p.get("tool_input"));
                }
                case "PermissionDenied" -> {
                    if (id == null) break;
                    Map<String, Object> c = call(calls, unpaired, id, e);
                    c.put("status", "denied");
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
