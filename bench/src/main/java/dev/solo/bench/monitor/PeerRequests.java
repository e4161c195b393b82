package dev.solo.bench.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The request body each monitor's own hook sends for one Claude Code hook payload, so {@link
 * HookPathBench} can load a peer the way its users' hooks do. Written from each project's public hook
 * script (no peer code is in this repository):
 *
 * <ul>
 *   <li>{@code hook}: the payload as it is, as Claude Code's {@code "type": "http"} hooks post it (solo's
 *       {@code POST /api/hooks}).
 *   <li>{@code disler}: disler's claude-code-hooks-multi-agent-observability, {@code
 *       .claude/hooks/send_event.py}: {@code POST http://localhost:4000/events} with {@code {source_app,
 *       session_id, hook_event_type, payload, timestamp, model_name}} and some payload fields repeated at
 *       the top level.
 *   <li>{@code ccam}: hoangsonww's Claude-Code-Agent-Monitor, {@code scripts/hook-handler.js}: {@code POST
 *       http://127.0.0.1:4820/api/hooks/event} with {@code {hook_type, data}}.
 *   <li>{@code mpm}: claude-mpm's hook handler's HTTP envelope, {@code {namespace: "hook", event:
 *       "claude_event", data: {type: "hook", subtype, timestamp, data}}} (solo's {@code POST /api/events}
 *       takes it too).
 * </ul>
 */
final class PeerRequests {
    static final List<String> KINDS = List.of("hook", "disler", "ccam", "mpm");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> DISLER_TOP =
            List.of("tool_name", "tool_use_id", "error", "agent_id", "agent_type", "notification_type", "source");

    private PeerRequests() {}

    /** Every payload wrapped as {@code kind}'s hook sends it. */
    static List<byte[]> wrap(String kind, List<byte[]> payloads) throws IOException {
        if (!KINDS.contains(kind))
            throw new IllegalArgumentException("peer kind must be one of " + KINDS + ": " + kind);
        List<byte[]> out = new ArrayList<>();
        for (byte[] p : payloads) out.add(kind.equals("hook") ? p : wrap(kind, p));
        return out;
    }

    private static byte[] wrap(String kind, byte[] payload) throws IOException {
        JsonNode hook = JSON.readTree(payload);
        String name = hook.path("hook_event_name").asText("unknown");
        var root = JSON.createObjectNode();
        switch (kind) {
            case "disler" -> {
                root.put("source_app", "bench");
                root.put("session_id", hook.path("session_id").asText("unknown"));
                root.put("hook_event_type", name);
                root.set("payload", hook);
                root.put("timestamp", System.currentTimeMillis());
                root.put("model_name", "");
                for (String f : DISLER_TOP) if (hook.has(f)) root.set(f, hook.get(f));
            }
            case "ccam" -> {
                root.put("hook_type", name);
                root.set("data", hook);
            }
            default -> {
                root.put("namespace", "hook");
                root.put("event", "claude_event");
                var data = root.putObject("data");
                data.put("type", "hook");
                data.put("subtype", name);
                data.put("timestamp", java.time.Instant.now().toString());
                data.set("data", hook);
            }
        }
        return JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
    }
}
