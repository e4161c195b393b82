package dev.solo.monitor.derive;

import com.fasterxml.jackson.databind.JsonNode;
import dev.solo.monitor.store.StoredEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agents of a stream as a tree: the main agent at the root, each subagent under the agent whose
 * {@code Agent} (or {@code Task}) call started it.
 *
 * <p>Claude Code's {@code SubagentStart} does not name its parent, but the starting call's {@code
 * PostToolUse} answers with {@code tool_response.agentId}, and that call carries the {@code agent_id}
 * of the agent that made it (none for the main agent). A subagent whose starting call is not among the
 * events read hangs off the root. Each node: {@code id, type, status, started, ended, events,
 * last_message, description, tool_use_id, children}.
 */
public final class AgentTree {
    private AgentTree() {}

    /**
     * @param events events that carry an agent id or start/stop an agent, oldest first
     * @param agentCalls the {@code PostToolUse} events of {@code Agent}/{@code Task} calls, oldest first
     */
    public static Map<String, Object> of(String stream, List<StoredEvent> events, List<StoredEvent> agentCalls) {
        Map<String, Map<String, Object>> agents = new LinkedHashMap<>();
        for (StoredEvent e : events) {
            if (e.agentId() == null) continue;
            Map<String, Object> a = agents.computeIfAbsent(e.agentId(), k -> node(k, e));
            a.put("events", (Long) a.get("events") + 1);
            JsonNode p = Payload.of(e.json());
            String type = Payload.text(p, "agent_type");
            if (type != null) a.put("type", type);
            if (e.event().equals("SubagentStart")) {
                a.put("started", Instant.ofEpochMilli(e.receivedMillis()).toString());
            } else if (e.event().equals("SubagentStop")) {
                a.put("status", "stopped");
                a.put("ended", Instant.ofEpochMilli(e.receivedMillis()).toString());
                a.put("last_message", Payload.text(p, "last_assistant_message"));
            }
        }
        Map<String, String> parentOf = new LinkedHashMap<>();
        for (StoredEvent e : agentCalls) {
            JsonNode p = Summary.hookObject(Payload.of(e.json()));
            String child = Payload.text(p.path("tool_response"), "agentId");
            if (child == null || child.equals(e.agentId())) continue;
            Map<String, Object> a = agents.computeIfAbsent(child, k -> node(k, e));
            a.put("tool_use_id", e.toolUseId());
            a.put("description", Payload.text(p.path("tool_input"), "description"));
            if (e.agentId() != null) parentOf.put(child, e.agentId());
        }
        List<Object> top = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> a : agents.entrySet()) {
            String parent = parentOf.get(a.getKey());
            Map<String, Object> p = parent == null || loops(parentOf, a.getKey()) ? null : agents.get(parent);
            if (p == null) top.add(a.getValue());
            else children(p).add(a.getValue());
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("id", stream);
        root.put("type", "main");
        root.put("children", top);
        return root;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> children(Map<String, Object> node) {
        return (List<Object>) node.get("children");
    }

    /** Whether following parents from {@code id} comes back to it (bad data must not hide agents). */
    private static boolean loops(Map<String, String> parentOf, String id) {
        String at = parentOf.get(id);
        for (int i = 0; at != null && i <= parentOf.size(); i++) {
            if (at.equals(id)) return true;
            at = parentOf.get(at);
        }
        return false;
    }

    private static Map<String, Object> node(String id, StoredEvent first) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("type", null);
        m.put("status", "running");
        m.put("started", Instant.ofEpochMilli(first.receivedMillis()).toString());
        m.put("ended", null);
        m.put("events", 0L);
        m.put("last_message", null);
        m.put("description", null);
        m.put("tool_use_id", null);
        m.put("children", new ArrayList<>());
        return m;
    }
}
