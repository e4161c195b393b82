package dev.solo.monitor.permission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The tool calls that began ({@code PreToolUse}) and have no answer yet, per stream: what gives a held
 * {@code PermissionRequest}, which carries no {@code tool_use_id}, the id of its call. Claude Code runs
 * a {@code PreToolUse} hook before it asks for the call's permission, so the call a request is about is
 * an open one of the same agent, tool and input; with two such calls (the same command twice in
 * parallel) the older one not yet claimed by another hold.
 *
 * <p>Bounded: {@value #PER_STREAM} calls per stream (the oldest go first: a call interrupted in the
 * terminal never gets an answer) and {@value #STREAMS} streams (the least recently seen go first).
 * Thread-safe.
 */
final class OpenCalls {
    static final int PER_STREAM = 64;
    static final int STREAMS = 256;

    /** A call that began: its id, the agent that made it (null: the main one), the tool and its input. */
    record Call(String toolUseId, String agentId, String tool, JsonNode input) {
        boolean is(String agent, String tool, JsonNode input) {
            return Objects.equals(agentId, agent)
                    && Objects.equals(this.tool, tool)
                    && Objects.equals(this.input, input);
        }
    }

    private final Map<String, Deque<Call>> byStream = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Call>> eldest) {
            return size() > STREAMS;
        }
    };

    synchronized void began(String stream, Call call) {
        Deque<Call> calls = byStream.computeIfAbsent(stream, s -> new ArrayDeque<>());
        calls.addLast(call);
        if (calls.size() > PER_STREAM) calls.removeFirst();
    }

    /** The call {@code toolUseId} of {@code stream} was answered. */
    synchronized void answered(String stream, String toolUseId) {
        Deque<Call> calls = byStream.get(stream);
        if (calls != null && toolUseId != null) calls.removeIf(c -> toolUseId.equals(c.toolUseId()));
    }

    /** The turn of {@code agent} (null: the main agent) ended: its calls got answers or never will. */
    synchronized void turnEnded(String stream, String agent) {
        Deque<Call> calls = byStream.get(stream);
        if (calls != null) calls.removeIf(c -> Objects.equals(c.agentId(), agent));
    }

    synchronized void ended(String stream) {
        byStream.remove(stream);
    }

    /**
     * The id of the oldest open call of {@code stream} by {@code agent} with this tool and input whose id
     * is not in {@code taken}; null when there is none (no {@code PreToolUse} hook was seen for it).
     */
    synchronized String find(String stream, String agent, String tool, JsonNode input, Collection<String> taken) {
        Deque<Call> calls = byStream.get(stream);
        if (calls == null) return null;
        for (Call c : calls) {
            if (c.is(agent, tool, input) && !taken.contains(c.toolUseId())) return c.toolUseId();
        }
        return null;
    }
}
