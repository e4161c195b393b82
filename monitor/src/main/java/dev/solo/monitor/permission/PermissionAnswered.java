package dev.solo.monitor.permission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.solo.monitor.store.NewEvent;
import dev.solo.monitor.store.StoredEvent;

/**
 * The event the monitor records when it answered a held {@code PermissionRequest} itself (Allow or
 * Deny on the page): {@value #EVENT}, source {@value #SOURCE}, in the request's stream, with the
 * decision and the id of the request it answers:
 *
 * <pre>{@code
 * {"hook_event_name":"PermissionAnswered","session_id":"…","tool_name":"Write","answered_by":"dashboard",
 *  "request_event_id":41,"decision":{"behavior":"deny","message":"not in README"}}
 * }</pre>
 *
 * <p>It is stored before the hook's answer goes back to Claude Code, so it comes before anything the
 * session does next: the stream stops "waiting for you" at once (any later event that is not passive
 * resolves a wait), instead of when Claude Code's next event arrives. The Events view shows who
 * decided. A prompt released with no decision (timeout, page closed) records nothing: the terminal asks.
 */
public final class PermissionAnswered {
    public static final String EVENT = "PermissionAnswered";
    /**
     * The event of a prompt rejected in Claude Code's own terminal ({@link #inTerminal}): the turn ends
     * there and Claude Code waits for the next prompt, so the stream rests, as after {@code Stop}.
     */
    public static final String REJECTED = "PermissionRejected";

    public static final String SOURCE = "monitor";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PermissionAnswered() {}

    /**
     * The event for {@code decision} (the hook's response body, as {@link PermissionDesk} builds it)
     * answering the stored {@code request}.
     *
     * @throws IllegalArgumentException when {@code decision} is not such a body
     */
    public static NewEvent of(StoredEvent request, String decision) {
        JsonNode d;
        try {
            d = MAPPER.readTree(decision).path("hookSpecificOutput").path("decision");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a PermissionRequest decision: " + decision, e);
        }
        if (!d.isObject() || !d.hasNonNull("behavior")) {
            throw new IllegalArgumentException("not a PermissionRequest decision: " + decision);
        }
        return event(EVENT, request, "dashboard", (ObjectNode) d.deepCopy());
    }

    /**
     * The event for {@code request} rejected in Claude Code's own terminal ({@link TerminalAnswers}):
     * {@value #REJECTED}, {@code "answered_by":"terminal"}, {@code "decision":{"behavior":"deny"}}.
     */
    public static NewEvent inTerminal(StoredEvent request) {
        ObjectNode d = MAPPER.createObjectNode();
        d.put("behavior", "deny");
        return event(REJECTED, request, "terminal", d);
    }

    private static NewEvent event(String name, StoredEvent request, String answeredBy, ObjectNode decision) {
        ObjectNode p = MAPPER.createObjectNode();
        p.put("hook_event_name", name);
        p.put("session_id", request.stream());
        if (request.tool() != null) p.put("tool_name", request.tool());
        if (request.agentId() != null) p.put("agent_id", request.agentId());
        p.put("answered_by", answeredBy);
        p.put("request_event_id", request.id());
        p.set("decision", decision);
        return new NewEvent(
                request.stream(),
                name,
                request.tool(),
                request.toolUseId(),
                request.agentId(),
                null,
                null, // not a file access: the Files view stays with the tools' own events
                null,
                null,
                null,
                SOURCE,
                0,
                p.toString());
    }
}
