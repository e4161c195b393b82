package dev.solo.monitor.board;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.solo.monitor.derive.Summary;
import java.io.IOException;
import java.util.Set;

/**
 * The part of a stored payload a {@link StreamCard} reads: of a hook payload (the hook object at the top,
 * as Claude Code posts it) only the {@link #FIELDS} become nodes, and the rest (a tool's response, a
 * file's content) is skipped by the parser without being built. Any other payload (an envelope, whose
 * hook object is nested) is read whole and its hook object found as {@link Summary#hookObject} finds it.
 */
final class CardFields {
    /** Every field {@link StreamCard} asks its hook object for. */
    static final Set<String> FIELDS = Set.of(
            "tool_input",
            "tool_calls",
            "agent_type",
            "error",
            "last_assistant_message",
            "message",
            "model",
            "prompt",
            "reason",
            "transcript_path");

    private CardFields() {}

    /** The hook object of {@code json}, with at least the {@link #FIELDS} it has; duplicate keys: the last wins. */
    static JsonNode read(ObjectMapper mapper, String json) throws IOException {
        try (JsonParser p = mapper.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return Summary.hookObject(mapper.readTree(json));
            ObjectNode out = mapper.createObjectNode();
            boolean hook = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("hook_event_name")) hook = true;
                if (FIELDS.contains(name)) out.set(name, mapper.readTree(p));
                else p.skipChildren();
            }
            return hook ? out : Summary.hookObject(mapper.readTree(json));
        }
    }
}
