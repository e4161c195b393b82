package dev.solo.monitor.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fast path of {@link Ingest#hook}: one streaming pass over the body that validates it, finds the
 * fields the store indexes, and keeps the body's own text as the stored JSON, instead of building a tree
 * and writing it back.
 *
 * <p>It answers only for the common case, a compact JSON object (no whitespace between tokens) in valid
 * UTF-8, with no duplicate keys and no string longer than the trim threshold. For anything else {@link
 * #scan} returns null and {@link Ingest} takes its tree path, which stays the reference: it trims, writes
 * compact JSON, resolves duplicate keys (the last wins) and words every error. So a bad body gets
 * exactly the 400 it got before.
 *
 * <p>The fields are found as the tree path's search finds them: breadth-first through nested objects
 * (never into arrays), at most {@value Ingest#SEARCH_DEPTH} levels of objects, the shallowest occurrence
 * first and, at the same depth, the first in document order; a {@code null} value does not count, and a
 * container value stops the search with no text. Scalars read as Jackson's tree reads them ({@code
 * asText}: numbers exactly, booleans as words). Thread-safe.
 */
final class HookScan {
    static final String[] KEYS = {
        "session_id",
        "stream",
        "tool_name",
        "tool_use_id",
        "agent_id",
        "agent_type",
        "cwd",
        "working_directory",
        "session_title",
        "message",
        "tool_input"
    };
    static final int TOOL_INPUT = KEYS.length - 1;
    /** The value of a key whose first occurrence is an object or array: found, but no text. */
    static final String CONTAINER = new String("(container)");

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final int trimAbove;

    HookScan(int trimAbove) {
        this.trimAbove = trimAbove;
    }

    /**
     * What one pass found.
     *
     * @param values per {@link #KEYS} entry: its text, {@link #CONTAINER}, or null when absent
     * @param name the top-level {@code hook_event_name} as text, or null
     * @param inputFile the {@code file_path} (else {@code notebook_path}) directly in the found {@code
     *     tool_input} object, or null
     * @param json the body's text without surrounding whitespace
     */
    record Scanned(String[] values, String name, String inputFile, String json) {
        String get(int key) {
            String v = values[key];
            return v == CONTAINER ? null : v;
        }
    }

    /** The body's fields and text, or null when only the tree path can take it (see the class comment). */
    Scanned scan(byte[] body) {
        int from = 0;
        int to = body.length;
        while (from < to && blank(body[from])) from++;
        while (to > from && blank(body[to - 1])) to--;
        if (from == to || body[from] != '{' || !compact(body, from, to)) return null;
        try (JsonParser p = FACTORY.createParser(body, from, to - from)) {
            Pass pass = new Pass();
            if (!pass.run(p) || p.nextToken() != null) return null;
            String json = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body, from, to - from))
                    .toString();
            String file = pass.inputPath != null ? pass.inputPath : pass.inputNotebook;
            return new Scanned(pass.values, pass.name, file, json);
        } catch (IOException | RuntimeException e) {
            return null; // the tree path says what is wrong, or takes it
        }
    }

    /** The state of one pass: the open containers and the best occurrence of each key so far. */
    private final class Pass {
        final String[] values = new String[KEYS.length];
        final int[] found = new int[KEYS.length];
        String name;
        String inputPath;
        String inputNotebook;
        /** Per open container: its object depth, -1 for an array or anything inside one. */
        int[] depth = new int[32];
        /** Per open container: whether it is the tool_input object found so far. */
        boolean[] input = new boolean[32];

        int top = -1;

        Pass() {
            Arrays.fill(found, Integer.MAX_VALUE);
        }

        boolean run(JsonParser p) throws IOException {
            int key = -1;
            String field = null;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                switch (t) {
                    case START_OBJECT, START_ARRAY -> {
                        boolean chosen = key >= 0 && offer(key, CONTAINER);
                        int d = top < 0 ? 0 : depth[top] < 0 ? -1 : depth[top] + 1;
                        push(
                                t == JsonToken.START_OBJECT ? d : -1,
                                chosen && key == TOOL_INPUT && t == JsonToken.START_OBJECT);
                        if (chosen && key == TOOL_INPUT) {
                            inputPath = null;
                            inputNotebook = null;
                        }
                        key = -1;
                    }
                    case END_OBJECT, END_ARRAY -> {
                        if (--top < 0) return true;
                    }
                    case FIELD_NAME -> {
                        field = p.currentName();
                        key = depth[top] >= 0 && depth[top] < Ingest.SEARCH_DEPTH ? indexOf(field) : -1;
                    }
                    case VALUE_NULL -> key = -1;
                    default -> {
                        if (t == JsonToken.VALUE_STRING && p.getTextLength() > trimAbove) return false;
                        if (field == null || !p.getParsingContext().inObject()) continue;
                        if (key >= 0 || (top == 0 && field.equals("hook_event_name")) || input[top]) {
                            String text = text(p, t);
                            if (key >= 0) offer(key, text);
                            if (top == 0 && field.equals("hook_event_name")) name = text;
                            if (input[top] && field.equals("file_path")) inputPath = text;
                            if (input[top] && field.equals("notebook_path")) inputNotebook = text;
                        }
                        key = -1;
                    }
                }
            }
            return false;
        }

        /** Takes {@code value} for {@code key} when it is shallower than what was found; true if taken. */
        private boolean offer(int key, String value) {
            int d = depth[top];
            if (d >= found[key]) return false;
            found[key] = d;
            values[key] = value;
            return true;
        }

        private void push(int d, boolean isInput) {
            if (++top == depth.length) {
                depth = Arrays.copyOf(depth, top * 2);
                input = Arrays.copyOf(input, top * 2);
            }
            depth[top] = d;
            input[top] = isInput;
        }
    }

    /** A scalar as Jackson's tree gives it with {@code asText()} (exact decimals, as {@link Ingest}'s mapper). */
    private static String text(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getBigIntegerValue().toString();
            case VALUE_NUMBER_FLOAT -> p.getDecimalValue().toString();
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            default -> null;
        };
    }

    private static int indexOf(String field) {
        for (int i = 0; i < KEYS.length; i++) if (KEYS[i].equals(field)) return i;
        return -1;
    }

    private static boolean blank(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    /** Whether no whitespace stands between tokens (whitespace inside strings is content). */
    static boolean compact(byte[] b, int from, int to) {
        boolean inString = false;
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (inString) {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
            } else if (c == '"') {
                inString = true;
            } else if (blank(c)) {
                return false;
            }
        }
        return true;
    }
}
