package dev.solo.monitor.derive;

import com.fasterxml.jackson.databind.JsonNode;
import dev.solo.monitor.store.StoredEvent;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The one-line summary of an event for the dashboard's table: the prompt, the Bash command, the file
 * path, the error, the message. Unknown events get their first few plain fields, so nothing shows as
 * an empty row. At most {@value #MAX} characters, line breaks folded into spaces.
 */
public final class Summary {
    /** The longest summary, in characters. */
    public static final int MAX = 240;

    private static final Set<String> NOISE = Set.of(
            "session_id",
            "transcript_path",
            "agent_transcript_path",
            "cwd",
            "hook_event_name",
            "prompt_id",
            "permission_mode",
            "tool_use_id",
            "agent_id",
            "agent_type",
            "stop_hook_active");
    private static final Map<String, String> INPUT_KEY = Map.ofEntries(
            Map.entry("Bash", "command"),
            Map.entry("Read", "file_path"),
            Map.entry("Edit", "file_path"),
            Map.entry("MultiEdit", "file_path"),
            Map.entry("Write", "file_path"),
            Map.entry("NotebookEdit", "notebook_path"),
            Map.entry("Grep", "pattern"),
            Map.entry("Glob", "pattern"),
            Map.entry("WebFetch", "url"),
            Map.entry("WebSearch", "query"),
            Map.entry("Task", "description"),
            Map.entry("Agent", "description"));

    private Summary() {}

    /** The summary of a stored event (its payload is parsed once). */
    public static String of(StoredEvent e) {
        JsonNode hook = hookObject(Payload.of(e.json()));
        return clip(raw(e.event(), e.tool(), hook));
    }

    /** What a tool call's input amounts to: the command, the path, the pattern; else its first string. */
    public static String input(String tool, JsonNode input) {
        if (input == null || !input.isObject()) return null;
        String key = tool == null ? null : INPUT_KEY.get(tool);
        String v = key == null ? null : Payload.text(input, key);
        if (v == null) v = firstStrings(input, 1);
        return v == null ? null : clip(v);
    }

    /** A tool's answer in one line: stdout (and stderr), a file path, or the start of its JSON. */
    public static String output(JsonNode response) {
        return output(null, response);
    }

    /**
     * A tool's answer in one line, as a person wants it: Bash's stdout (and stderr), "read 5 lines of
     * README.md", "1 file: README.md", "3 matching lines", "created notes.txt (3 lines)", "+2 −1 lines",
     * an agent's answer or "launched in the background"; else the start of its JSON.
     */
    public static String output(String tool, JsonNode response) {
        if (response == null || response.isNull() || response.isMissingNode()) return null;
        if (response.isValueNode()) return clip(response.asText());
        if (response.isArray()) return clip(texts(response));
        String out = Payload.text(response, "stdout");
        String err = Payload.text(response, "stderr");
        if (out != null || err != null) {
            String both = (out == null ? "" : out) + (err == null || err.isEmpty() ? "" : " [stderr] " + err);
            return clip(both.isBlank() ? "(no output)" : both);
        }
        String known = ToolOutput.describe(tool, response);
        if (known != null) return clip(known);
        String path = Payload.text(response, "filePath");
        if (path != null) return clip(path);
        return clip(response.toString());
    }

    /** The text blocks of a content array ({@code [{"type":"text","text":…}]}), joined. */
    static String texts(JsonNode content) {
        StringBuilder b = new StringBuilder();
        for (JsonNode block : content) {
            String t = block.isTextual() ? block.asText() : Payload.text(block, "text");
            if (t != null) b.append(b.length() > 0 ? " " : "").append(t);
        }
        return b.toString();
    }

    private static String raw(String event, String tool, JsonNode p) {
        JsonNode input = p.get("tool_input");
        switch (event) {
            case "UserPromptSubmit", "UserPromptExpansion":
                return first(p, "prompt", "expanded_prompt");
            case "PostToolUse":
                return join(input(tool, input), arrow(output(tool, p.get("tool_response"))));
            case "PostToolUseFailure":
                return join(Payload.text(p, "error"), input(tool, input));
            case "PermissionDenied":
                return join(input(tool, input), arrow(first(p, "reason")));
            case "PostToolBatch":
                return batch(p.get("tool_calls"));
            case "Notification", "Elicitation":
                return first(p, "message", "title");
            case "MessageDisplay":
                return first(p, "delta", "message", "title");
            case "StopFailure":
                return first(p, "error", "error_type", "reason");
            case "Stop", "SubagentStop":
                return join(Payload.text(p, "agent_type"), Payload.text(p, "last_assistant_message"));
            case "SubagentStart":
                return Payload.text(p, "agent_type");
            case "SessionStart":
                return join(Payload.text(p, "source"), Payload.text(p, "model"));
            case "SessionEnd":
                String why = Payload.text(p, "reason");
                return "session ended" + (why == null || why.isBlank() ? "" : " (reason: " + why + ")");
            case "PermissionAnswered": // the monitor's own record of a prompt answered on the page
                String behavior = Payload.text(p.path("decision"), "behavior");
                String said = ("allow".equals(behavior) ? "allowed" : "deny".equals(behavior) ? "denied" : behavior)
                        + " from the dashboard";
                return join(join(tool, said), Payload.text(p.path("decision"), "message"));
            case "PermissionRejected": // the monitor's record of a prompt rejected in the terminal
                return join(tool, "rejected in the terminal");
            case "PreCompact", "PostCompact":
                return join(Payload.text(p, "trigger"), Payload.text(p, "compact_summary"));
            default:
                break;
        }
        if (input != null && input.isObject()) return input(tool, input);
        return firstStrings(p, 3);
    }

    private static String arrow(String s) {
        return s == null || s.isBlank() ? null : "→ " + s;
    }

    /** "2 calls: Bash → ok text; Write → Claude requested permissions …". */
    private static String batch(JsonNode calls) {
        if (calls == null || !calls.isArray() || calls.isEmpty()) return null;
        StringBuilder b = new StringBuilder();
        if (calls.size() > 1) b.append(calls.size()).append(" calls: ");
        for (JsonNode c : calls) {
            if (b.length() > 0 && !b.toString().endsWith(": ")) b.append("; ");
            String tool = Payload.text(c, "tool_name");
            b.append(tool == null ? "?" : tool);
            String in = input(tool, c.get("tool_input"));
            if (in != null) b.append(' ').append(in);
            String out = output(tool, c.get("tool_response"));
            if (out != null) b.append(" → ").append(out);
        }
        return b.toString();
    }

    /** The object that holds {@code hook_event_name} (a claude-mpm envelope nests it), else the root. */
    public static JsonNode hookObject(JsonNode root) {
        Deque<JsonNode> level = new ArrayDeque<>();
        level.add(root);
        for (int depth = 0; depth < 4 && !level.isEmpty(); depth++) {
            Deque<JsonNode> next = new ArrayDeque<>();
            for (JsonNode n : level) {
                if (n.has("hook_event_name")) return n;
                for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
                    JsonNode child = it.next();
                    if (child.isObject()) next.add(child);
                }
            }
            level = next;
        }
        return root;
    }

    private static String first(JsonNode p, String... keys) {
        for (String k : keys) {
            String v = Payload.text(p, k);
            if (v != null && !v.isBlank()) return v;
        }
        return null;
    }

    private static String join(String a, String b) {
        if (a == null || a.isBlank()) return b;
        if (b == null || b.isBlank()) return a;
        return b.startsWith("→ ") ? a + " " + b : a + ": " + b;
    }

    /** {@code key: value} of the first {@code n} plain fields that say something. */
    private static String firstStrings(JsonNode p, int n) {
        StringBuilder b = new StringBuilder();
        int found = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext() && found < n; ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            if (NOISE.contains(f.getKey())
                    || !v.isValueNode()
                    || v.isNull()
                    || v.asText().isBlank()) continue;
            if (b.length() > 0) b.append(", ");
            if (n > 1) b.append(f.getKey()).append(": ");
            b.append(v.asText());
            found++;
        }
        return b.length() == 0 ? null : b.toString();
    }

    /** {@code s} on one line (whitespace folded), at most {@link #MAX} characters. */
    public static String clip(String s) {
        if (s == null) return null;
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX + 1));
        boolean space = false;
        for (int i = 0; i < s.length() && b.length() <= MAX; i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                space = b.length() > 0;
            } else {
                if (space) b.append(' ');
                b.append(c);
                space = false;
            }
        }
        if (b.length() > MAX) {
            b.setLength(MAX - 1);
            b.append('…');
        }
        return b.toString();
    }
}
