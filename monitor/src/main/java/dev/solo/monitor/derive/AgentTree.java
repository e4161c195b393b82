package dev.solo.monitor.derive;

import com.fasterxml.jackson.databind.JsonNode;
import dev.solo.monitor.store.StoredEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agents of a stream: the main agent at the root, each subagent (by {@code agent_id}) below it,
 * from {@code SubagentStart}/{@code SubagentStop} and every event that carries an {@code agent_id}.
 * Claude Code's hooks do not say which agent started a subagent, so subagents hang off the root.
 */
public final class AgentTree {
    private AgentTree() {}

    /** {@code {"id": stream, "type": "main", "children": [...]}}. */
    public static Map<String, Object> of(String stream, List<StoredEvent> events) {
        Map<String, Map<String, Object>> agents = new LinkedHashMap<>();
        for (StoredEvent e : events) {
            if (e.agentId() == null) continue;
            Map<String, Object> a = agents.computeIfAbsent(e.agentId(), k -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", k);
                m.put("type", null);
                m.put("status", "running");
                m.put("started", Instant.ofEpochMilli(e.receivedMillis()).toString());
                m.put("ended", null);
                m.put("events", 0L);
                m.put("last_message", null);
                return m;
            });
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
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("id", stream);
        root.put("type", "main");
        root.put("children", new ArrayList<>(agents.values()));
        return root;
    }
}
