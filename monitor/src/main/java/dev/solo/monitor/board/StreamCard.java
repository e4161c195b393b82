package dev.solo.monitor.board;

import com.fasterxml.jackson.databind.JsonNode;
import dev.solo.monitor.derive.Summary;
import dev.solo.monitor.store.StoredEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one stream is doing now, kept up to date event by event (never by re-reading history): its
 * status and since when, the tools running with their command/path/pattern and start, "thinking"
 * since the last prompt or tool result, the last prompt, what it waits for (the most specific detail,
 * at its first time), the subagents running, the error that ended a turn, and a 30-minute activity
 * histogram. Not thread-safe: the {@link Board} owns it.
 */
final class StreamCard {
    static final int BUCKETS = 30;
    private static final long MINUTE = 60_000;

    record Running(String toolUseId, String tool, String detail, long started, String agentId) {}

    record Wait(String kind, String tool, String detail, long since, long eventId) {}

    record Attention(String kind, String text, long since, long eventId) {}

    record Agent(String id, String type, String description, long started) {}

    final String id;
    long lastEventId;
    String status = "idle";
    long statusSince;
    long lastMillis;
    String transcriptPath;
    String model;
    boolean imported;
    String lastPrompt;
    long lastPromptAt;
    long thinkingSince;
    Wait waiting;
    Attention attention;
    String lastFailure;
    final Map<String, Running> running = new LinkedHashMap<>();
    final Map<String, Agent> agents = new LinkedHashMap<>();
    final Map<String, String> agentDescriptions = new LinkedHashMap<>();
    final long[] counts = new long[BUCKETS];
    final long[] minutes = new long[BUCKETS];

    StreamCard(String id) {
        this.id = id;
    }

    /** Applies {@code e} (ids increase); {@code p} is its hook object. */
    void apply(StoredEvent e, JsonNode p) {
        if (e.id() <= lastEventId) return;
        lastEventId = e.id();
        long at = e.receivedMillis();
        if (at < lastMillis) {
            // imported after later events (a gap the hooks missed, filled from the transcript): it says
            // nothing about what the stream is doing now, as in the stream summary (StreamTracker)
            if (lastMillis - at < BUCKETS * MINUTE) count(at);
            return;
        }
        lastMillis = at;
        count(at);
        if ("import".equals(e.source()) && lastEventId == e.id() && statusSince == 0) imported = true;
        if (!"import".equals(e.source())) imported = false;
        String tp = text(p, "transcript_path");
        if (tp != null) transcriptPath = tp;
        String m = text(p, "model");
        if (m != null && e.event().equals("SessionStart")) model = m;
        boolean main = e.agentId() == null;
        switch (e.event()) {
            case "SessionStart", "Setup" -> rest(at);
            case "UserPromptSubmit" -> {
                String prompt = text(p, "prompt");
                if (!isTaskNotification(prompt)) { // Claude Code's report of an async subagent, not the user's
                    lastPrompt = Summary.clip(prompt);
                    lastPromptAt = at;
                }
                thinkingSince = at;
                attention = null;
                lastFailure = null;
                work(at);
            }
            case "PreToolUse" -> {
                running.put(
                        key(e),
                        new Running(
                                e.toolUseId(),
                                e.tool(),
                                Summary.input(e.tool(), p.get("tool_input")),
                                at,
                                e.agentId()));
                if (("Agent".equals(e.tool()) || "Task".equals(e.tool())) && e.toolUseId() != null) {
                    agentDescriptions.put(e.toolUseId(), text(p.path("tool_input"), "description"));
                }
                work(at);
            }
            case "PostToolUse", "PostToolUseFailure", "PermissionDenied" -> {
                running.remove(key(e));
                if (main) {
                    thinkingSince = at;
                    lastFailure = e.event().equals("PostToolUse") ? null : failure(e, p);
                }
                work(at);
            }
            case "PostToolBatch" -> {
                for (JsonNode c : p.path("tool_calls")) running.remove(text(c, "tool_use_id"));
                if (main) thinkingSince = at;
                work(at);
            }
            case "PermissionRequest" ->
                wait(e, "permission", e.tool(), Summary.input(e.tool(), p.get("tool_input")), at);
            case "Elicitation" -> wait(e, "question", null, Summary.of(e), at);
            case "Notification" -> wait(e, "notification", null, text(p, "message"), at);
            case "SubagentStart" -> {
                String type = text(p, "agent_type");
                agents.put(e.agentId() == null ? "?" : e.agentId(), new Agent(e.agentId(), type, null, at));
                work(at);
            }
            case "SubagentStop" -> {
                agents.remove(e.agentId());
                running.values()
                        .removeIf(r -> e.agentId() != null && e.agentId().equals(r.agentId()));
                if (waiting == null && !status.equals("idle")) work(at);
            }
            case "Stop" -> {
                if (main) {
                    running.values().removeIf(r -> r.agentId() == null);
                    if (lastFailure != null) attention = new Attention("failure", lastFailure, at, e.id());
                    rest(at);
                }
            }
            case "StopFailure" -> {
                running.values().removeIf(r -> r.agentId() == null);
                String err = text(p, "error");
                String msg = text(p, "last_assistant_message");
                attention = new Attention("error", msg != null ? msg : err, at, e.id());
                rest(at);
            }
            case "SessionEnd" -> {
                running.clear();
                agents.clear();
                waiting = null;
                status = "ended";
                statusSince = at;
            }
            default -> {
                if (!PASSIVE.contains(e.event()) && waiting != null) work(at);
            }
        }
    }

    private static final java.util.Set<String> PASSIVE = java.util.Set.of(
            "MessageDisplay",
            "FileChanged",
            "ConfigChange",
            "CwdChanged",
            "InstructionsLoaded",
            "DirectoryAdded",
            "TeammateIdle");

    private static String failure(StoredEvent e, JsonNode p) {
        String why = e.event().equals("PermissionDenied") ? text(p, "reason") : text(p, "error");
        String what = Summary.input(e.tool(), p.get("tool_input"));
        return Summary.clip((e.tool() == null ? "" : e.tool() + (what == null ? "" : " " + what) + ": ")
                + (why == null ? e.event() : why));
    }

    /** A permission prompt, question or notification; the most specific detail and the first time win. */
    private void wait(StoredEvent e, String kind, String tool, String detail, long at) {
        int rank = rank(kind);
        if (waiting == null) {
            waiting = new Wait(kind, tool, detail, at, e.id());
        } else if (rank > rank(waiting.kind())) {
            waiting = new Wait(kind, tool, detail, waiting.since(), e.id());
        }
        if (!status.equals("waiting")) {
            status = "waiting";
            statusSince = waiting.since();
        }
    }

    private static int rank(String kind) {
        return switch (kind) {
            case "permission" -> 3;
            case "question" -> 2;
            default -> 1;
        };
    }

    private void work(long at) {
        waiting = null;
        if (!status.equals("working")) {
            status = "working";
            statusSince = at;
        }
    }

    private void rest(long at) {
        waiting = null;
        if (!status.equals("idle")) {
            status = "idle";
            statusSince = at;
        }
    }

    private static String key(StoredEvent e) {
        return e.toolUseId() != null ? e.toolUseId() : e.tool() + "/" + e.agentId();
    }

    private void count(long at) {
        long minute = at / MINUTE;
        int i = (int) Math.floorMod(minute, (long) BUCKETS);
        if (minutes[i] != minute) {
            minutes[i] = minute;
            counts[i] = 0;
        }
        counts[i]++;
    }

    /** Events per minute over the last 30 minutes, oldest first. */
    long[] activity(long now) {
        long minute = now / MINUTE;
        long[] out = new long[BUCKETS];
        for (int k = 0; k < BUCKETS; k++) {
            long m = minute - (BUCKETS - 1) + k;
            int i = (int) Math.floorMod(m, (long) BUCKETS);
            out[k] = minutes[i] == m ? counts[i] : 0;
        }
        return out;
    }

    /** The card as the API shows it; {@code idleAfter}: a working stream silent this long is idle. */
    Map<String, Object> toMap(long now, long idleAfter) {
        Map<String, Object> m = new LinkedHashMap<>();
        String st = status;
        long since = statusSince;
        if (st.equals("working") && now - lastMillis > idleAfter) {
            st = "idle";
            since = lastMillis;
        }
        m.put("status", st);
        m.put("status_since", iso(since));
        m.put("last_event_id", lastEventId);
        m.put("imported", imported);
        m.put("model", model);
        m.put("transcript", transcriptPath != null);
        m.put("last_prompt", lastPrompt);
        m.put("last_prompt_at", lastPromptAt == 0 ? null : iso(lastPromptAt));
        List<Map<String, Object>> tools = new ArrayList<>();
        if (st.equals("working") || st.equals("waiting")) {
            for (Running r : running.values()) {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("tool_use_id", r.toolUseId());
                t.put("tool", r.tool());
                t.put("detail", r.detail());
                t.put("started", iso(r.started()));
                t.put("agent_id", r.agentId());
                tools.add(t);
            }
        }
        m.put("running", tools);
        m.put(
                "thinking_since",
                st.equals("working") && tools.isEmpty() && thinkingSince > 0 ? iso(thinkingSince) : null);
        if (waiting != null && st.equals("waiting")) {
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("kind", waiting.kind());
            w.put("tool", waiting.tool());
            w.put("detail", waiting.detail());
            w.put(
                    "text",
                    waiting.tool() == null
                            ? waiting.detail()
                            : waiting.tool() + (waiting.detail() == null ? "" : ": " + waiting.detail()));
            w.put("since", iso(waiting.since()));
            w.put("event_id", waiting.eventId());
            m.put("waiting", w);
        } else {
            m.put("waiting", null);
        }
        if (attention != null) {
            m.put(
                    "attention",
                    Map.of(
                            "kind", attention.kind(),
                            "text", attention.text() == null ? attention.kind() : attention.text(),
                            "since", iso(attention.since()),
                            "event_id", attention.eventId()));
        } else {
            m.put("attention", null);
        }
        List<Map<String, Object>> subs = new ArrayList<>();
        if (!st.equals("ended")) {
            for (Agent a : agents.values()) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("id", a.id());
                s.put("type", a.type());
                s.put("started", iso(a.started()));
                subs.add(s);
            }
        }
        m.put("subagents", subs);
        m.put("activity", activity(now));
        return m;
    }

    static String iso(long millis) {
        return millis <= 0 ? null : Instant.ofEpochMilli(millis).toString();
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n == null ? null : n.get(key);
        return v != null && v.isValueNode() && !v.isNull() ? v.asText() : null;
    }

    /**
     * Whether a submitted prompt is Claude Code's {@code <task-notification>} of an async subagent that
     * finished (2.1.329 submits it as a prompt; the conversation shows it as the subagent's report).
     */
    static boolean isTaskNotification(String prompt) {
        return prompt != null && prompt.stripLeading().startsWith("<task-notification>");
    }
}
