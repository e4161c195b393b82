package dev.solo.monitor.derive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/** Reads stored payloads back as trees, for the derived views. */
final class Payload {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Payload() {}

    static JsonNode of(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            return MissingNode.getInstance(); // stored JSON always parses; be lenient anyway
        }
    }

    static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v != null && v.isValueNode() && !v.isNull() ? v.asText() : null;
    }
}
