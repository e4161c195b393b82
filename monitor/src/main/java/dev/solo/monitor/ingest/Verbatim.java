package dev.solo.monitor.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

/**
 * Whether a request body, already parsed into a tree with nothing trimmed, can be stored as it was sent
 * (less the whitespace around it) instead of being written back from the tree: only when writing the tree
 * back would give the same characters. Claude Code posts compact JSON, so its hooks skip the write-back (about a third of the
 * hook's JSON work on the request thread; docs/benchmarks.md, "Session 11").
 *
 * <p>One pass over the bytes, which Jackson has already checked to be one well-formed JSON object. The
 * body is refused (and written back from the tree, as before) when it holds anything the tree would write
 * differently: a byte outside a string that is not part of the JSON's tokens (whitespace, a byte-order
 * mark), a {@code \\u} or {@code \/} escape (Jackson writes those characters as they are), a number with an
 * exponent, a negative zero or six zeros after {@code 0.} (a {@code BigDecimal} writes those in another
 * form), or a key that occurs twice in one object (the tree keeps only the last); the last is found by
 * counting the members, the body's colons against the tree's fields.
 */
final class Verbatim {
    private Verbatim() {}

    /**
     * {@code body} without the whitespace around its object, when that is exactly what {@code root}, parsed
     * from it, writes back; otherwise null.
     */
    static String asWritten(byte[] body, JsonNode root) {
        int start = 0;
        int end = body.length;
        while (start < end && blank(body[start])) start++;
        while (end > start && blank(body[end - 1])) end--;
        long colons = 0;
        boolean inString = false;
        for (int i = start; i < end; i++) {
            byte b = body[i];
            if (inString) {
                if (b == '"') inString = false;
                else if (b == '\\') {
                    byte next = body[++i]; // well-formed: an escape is never the last byte
                    if (next == 'u' || next == '/') return null;
                }
                continue;
            }
            switch (b) {
                case '"' -> inString = true;
                case ':' -> colons++;
                case '{', '}', '[', ']', ',' -> {}
                case 't', 'r', 'u', 'e', 'f', 'a', 'l', 's', 'n' -> {} // true, false, null
                case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> {
                    int last = numberEnd(body, i, end);
                    if (!plainNumber(body, i, last)) return null;
                    i = last - 1;
                }
                default -> {
                    return null; // whitespace between tokens, or a byte-order mark
                }
            }
        }
        return colons == members(root) ? new String(body, start, end - start, StandardCharsets.UTF_8) : null;
    }

    private static boolean blank(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    private static int numberEnd(byte[] body, int start, int end) {
        int i = start;
        while (i < end && "-+.eE0123456789".indexOf(body[i]) >= 0) i++;
        return i;
    }

    /** A number a {@code BigDecimal} or an integer node writes back with the same characters. */
    private static boolean plainNumber(byte[] body, int start, int end) {
        int i = start;
        if (body[i] == '-') {
            i++;
            if (i < end && body[i] == '0') return false; // -0, -0.5: negative zero, or a cheap refusal
        }
        for (int j = i; j < end; j++) if (body[j] == 'e' || body[j] == 'E') return false;
        if (end - i >= 8 && body[i] == '0' && body[i + 1] == '.') {
            for (int j = i + 2; j < i + 8; j++) if (body[j] != '0') return true;
            return false; // 0.000000…: BigDecimal writes it as 1E-7
        }
        return true;
    }

    /** The fields of every object in the tree. */
    private static long members(JsonNode node) {
        long n = node.isObject() ? node.size() : 0;
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
            JsonNode child = it.next();
            if (child.isContainerNode()) n += members(child);
        }
        return n;
    }
}
