package dev.solo.monitor.permission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.solo.monitor.derive.Summary;
import dev.solo.monitor.permission.PermissionDesk.Hold;
import dev.solo.monitor.store.StoredEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Releases, with no decision, the hold that an event shows was settled without the page, and no
 * other ({@link PermissionDesk#settle}): the user answered in the terminal (Claude Code shows its own prompt too), so the held call
 * got its result ({@code PostToolUse}, {@code PostToolUseFailure}, {@code PermissionDenied}, or a
 * {@code PostToolBatch} that lists it), it was rejected there ({@link PermissionAnswered#REJECTED},
 * read from the transcript by {@link TerminalAnswers}: that request's hold), or the turn of the agent
 * that asked ended ({@code UserPromptSubmit}, {@code Stop}, {@code StopFailure} for the main agent,
 * {@code SubagentStop} for a subagent, {@code SessionEnd} for all). Otherwise the card would keep
 * offering Allow and Deny for a prompt that is gone, in place of the one that waits.
 *
 * <p>A call's answer releases the hold of that call only: the one whose {@code tool_use_id} it carries
 * (learnt from the call's {@code PreToolUse}, {@link OpenCalls}), else the oldest of the same agent and
 * tool with the same input. The answer of another call of the same tool running in parallel (one
 * allowed by a rule while the other asks) leaves the hold alone.
 *
 * <p>{@link #settle} is called for every stored event, in the order they were stored, and also feeds
 * {@link OpenCalls} the calls that begin in streams that hold ({@code tracked}). Thread-safe as {@link
 * OpenCalls} is; a hold is released by completing its answer, which may happen once.
 */
final class Settling {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final OpenCalls calls;

    Settling(OpenCalls calls) {
        this.calls = calls;
    }

    void settle(StoredEvent e, boolean tracked, Collection<Hold> holds) {
        if ("SessionEnd".equals(e.event())) calls.ended(e.stream());
        if (!tracked && holds.stream().noneMatch(h -> h.stream().equals(e.stream())))
            return; // nothing to learn or release
        JsonNode p = needsPayload(e.event()) ? payload(e) : null;
        switch (e.event()) {
            case "PreToolUse" -> {
                if (e.toolUseId() != null && p != null && tracked)
                    calls.began(
                            e.stream(), new OpenCalls.Call(e.toolUseId(), e.agentId(), e.tool(), p.get("tool_input")));
            }
            case "PostToolUse", "PostToolUseFailure", "PermissionDenied" -> {
                calls.answered(e.stream(), e.toolUseId());
                release(e, holds, e.agentId(), e.tool(), e.toolUseId(), p == null ? null : p.get("tool_input"));
            }
            case "PostToolBatch" -> {
                if (p == null) return;
                for (JsonNode c : p.path("tool_calls")) {
                    String id = c.path("tool_use_id").asText(null);
                    calls.answered(e.stream(), id);
                    release(e, holds, e.agentId(), c.path("tool_name").asText(null), id, c.get("tool_input"));
                }
            }
            case PermissionAnswered.REJECTED -> {
                long request = p == null ? -1 : p.path("request_event_id").asLong(-1);
                for (Hold h : holdsBefore(e, holds))
                    if (h.eventId() == request) h.answer().complete("");
            }
            case "UserPromptSubmit", "Stop", "StopFailure", "SubagentStop" -> {
                String agent = e.event().equals("SubagentStop") ? e.agentId() : null;
                calls.turnEnded(e.stream(), agent);
                for (Hold h : holdsBefore(e, holds))
                    if (Objects.equals(h.agentId(), agent)) h.answer().complete("");
            }
            case "SessionEnd" -> holdsBefore(e, holds).forEach(h -> h.answer().complete(""));
            default -> {}
        }
    }

    private static boolean needsPayload(String event) {
        return switch (event) {
            case "PreToolUse",
                    "PostToolUse",
                    "PostToolUseFailure",
                    "PermissionDenied",
                    "PostToolBatch",
                    PermissionAnswered.REJECTED -> true;
            default -> false;
        };
    }

    private static JsonNode payload(StoredEvent e) {
        try {
            return Summary.hookObject(MAPPER.readTree(e.json()));
        } catch (IOException ex) {
            return null;
        }
    }

    /** The holds of {@code e}'s stream made before it, oldest first. */
    private static List<Hold> holdsBefore(StoredEvent e, Collection<Hold> holds) {
        List<Hold> out = new ArrayList<>();
        for (Hold h : holds) if (h.stream().equals(e.stream()) && e.id() > h.eventId()) out.add(h);
        out.sort(Comparator.comparingLong(Hold::eventId));
        return out;
    }

    /**
     * Releases the one hold that the answer of call {@code toolUseId} (tool, input; either may be null)
     * settles, if any: see {@link #settle}.
     */
    private static void release(
            StoredEvent e, Collection<Hold> holds, String agent, String tool, String toolUseId, JsonNode input) {
        List<Hold> mine = holdsBefore(e, holds);
        for (Hold h : mine) {
            if (toolUseId != null && toolUseId.equals(h.toolUseId())) {
                h.answer().complete("");
                return;
            }
        }
        for (Hold h : mine) {
            boolean other = toolUseId != null && h.toolUseId() != null; // both known and they differ
            if (!other
                    && Objects.equals(h.agentId(), agent)
                    && Objects.equals(h.tool(), tool)
                    && (input == null || h.input() == null || input.equals(h.input()))) {
                h.answer().complete("");
                return;
            }
        }
    }
}
