package dev.solo.monitor.derive;

import com.fasterxml.jackson.databind.JsonNode;
import dev.solo.monitor.store.StoredEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files a stream read or changed, from completed Read/Edit/Write/MultiEdit/NotebookEdit calls.
 * For a change, {@code last_change_id} names the event whose {@code tool_response.structuredPatch}
 * holds the diff.
 */
public final class FilesTouched {
    private FilesTouched() {}

    public static List<Map<String, Object>> of(List<StoredEvent> events) {
        Map<String, Map<String, Object>> files = new LinkedHashMap<>();
        for (StoredEvent e : events) {
            if (e.file() == null) continue;
            Map<String, Object> f = files.computeIfAbsent(e.file(), k -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("path", k);
                m.put("reads", 0L);
                m.put("changes", 0L);
                m.put("last_change_id", null);
                m.put("has_patch", false);
                return m;
            });
            f.put("last_seen", Instant.ofEpochMilli(e.receivedMillis()).toString());
            f.put("last_event_id", e.id());
            if ("Read".equals(e.tool())) {
                f.put("reads", (Long) f.get("reads") + 1);
            } else {
                f.put("changes", (Long) f.get("changes") + 1);
                f.put("last_change_id", e.id());
                JsonNode response = Payload.of(e.json()).get("tool_response");
                f.put("has_patch", response != null && response.has("structuredPatch"));
            }
        }
        return new ArrayList<>(files.values());
    }
}
