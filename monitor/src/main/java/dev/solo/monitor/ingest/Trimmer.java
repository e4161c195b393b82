package dev.solo.monitor.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Cuts oversized string fields (an Edit's {@code originalFile}, a base64 image, a huge stdout) at
 * write time. A string longer than {@code above} characters keeps its first {@code keep} characters
 * followed by a marker that says how much was cut:
 *
 * <pre>…[solo: cut 123456 of 125504 characters]</pre>
 */
final class Trimmer {
    static final String MARKER_PREFIX = "…[solo: cut ";

    private final int above;
    private final int keep;

    Trimmer(int above, int keep) {
        if (above < 1) throw new IllegalArgumentException("trim threshold must be >= 1, got " + above);
        if (keep < 0 || keep > above) throw new IllegalArgumentException("keep must be 0.." + above + ", got " + keep);
        this.above = above;
        this.keep = keep;
    }

    /** Trims in place; returns how many characters were cut in total. */
    long trim(JsonNode node) {
        long cut = 0;
        if (node instanceof ObjectNode obj) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(obj.properties());
            for (Map.Entry<String, JsonNode> f : fields) {
                JsonNode v = f.getValue();
                if (v.isTextual() && v.textValue().length() > above) {
                    obj.set(f.getKey(), shortened(v.textValue()));
                    cut += v.textValue().length() - keep;
                } else if (v.isContainerNode()) {
                    cut += trim(v);
                }
            }
        } else if (node instanceof ArrayNode arr) {
            for (int i = 0; i < arr.size(); i++) {
                JsonNode v = arr.get(i);
                if (v.isTextual() && v.textValue().length() > above) {
                    arr.set(i, shortened(v.textValue()));
                    cut += v.textValue().length() - keep;
                } else if (v.isContainerNode()) {
                    cut += trim(v);
                }
            }
        }
        return cut;
    }

    private TextNode shortened(String s) {
        int end = keep;
        if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) end--;
        return TextNode.valueOf(
                s.substring(0, end) + MARKER_PREFIX + (s.length() - end) + " of " + s.length() + " characters]");
    }
}
