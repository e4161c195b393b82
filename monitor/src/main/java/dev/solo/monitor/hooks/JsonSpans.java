package dev.solo.monitor.hooks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A JSON text as a tree of the character spans of its values, so that a settings file can be edited by
 * splicing text: every byte outside the spans an edit touches stays as the user wrote it (formatting,
 * key order, number forms such as {@code 1.50}, escapes).
 *
 * <p>Only what {@link HooksInstaller} needs: objects with their members in order, arrays with their
 * items, and leaves. Parsing is Jackson's (strict JSON); the spans come from its token locations.
 */
final class JsonSpans {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonSpans() {}

    /** A value of the text: {@code [start, end)}. */
    sealed interface Node permits Obj, Arr, Leaf {
        int start();

        int end();
    }

    /** An object; {@code end} is just after its closing brace. */
    record Obj(int start, int end, List<Member> members) implements Node {
        Member member(String name) {
            Member found = null;
            for (Member m : members) if (m.name().equals(name)) found = m; // the last wins, as in Jackson's tree
            return found;
        }
    }

    /** A member of an object: its key starts at {@code start}; it ends where its value does. */
    record Member(String name, int start, Node value) {
        int end() {
            return value.end();
        }
    }

    /** An array; {@code end} is just after its closing bracket. */
    record Arr(int start, int end, List<Node> items) implements Node {}

    /** A string, number, boolean or null. */
    record Leaf(int start, int end) implements Node {}

    /** The tree of {@code text}, which must be one JSON value and nothing else. */
    static Node parse(String text) throws IOException {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) throw new IOException("no JSON value");
            Node root = value(p, t, text);
            if (p.nextToken() != null) throw new IOException("more than one JSON value");
            return root;
        }
    }

    private static Node value(JsonParser p, JsonToken t, String text) throws IOException {
        int start = (int) p.currentTokenLocation().getCharOffset();
        if (t == JsonToken.START_OBJECT) {
            List<Member> members = new ArrayList<>();
            for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                int keyStart = (int) p.currentTokenLocation().getCharOffset();
                String name = p.currentName();
                members.add(new Member(name, keyStart, value(p, p.nextToken(), text)));
            }
            return new Obj(start, (int) p.currentTokenLocation().getCharOffset() + 1, members);
        }
        if (t == JsonToken.START_ARRAY) {
            List<Node> items = new ArrayList<>();
            for (JsonToken i = p.nextToken(); i != JsonToken.END_ARRAY; i = p.nextToken()) {
                items.add(value(p, i, text));
            }
            return new Arr(start, (int) p.currentTokenLocation().getCharOffset() + 1, items);
        }
        return new Leaf(start, leafEnd(text, start));
    }

    /** Where the scalar at {@code start} ends: after a string's closing quote, else after its last character. */
    private static int leafEnd(String text, int start) {
        int i = start;
        if (text.charAt(i) == '"') {
            for (i++; text.charAt(i) != '"'; i++) if (text.charAt(i) == '\\') i++;
            return i + 1;
        }
        while (i < text.length() && "{}[],: \t\r\n".indexOf(text.charAt(i)) < 0) i++;
        return i;
    }

    /** The whitespace at the start of the line that holds {@code offset}. */
    static String indentAt(String text, int offset) {
        int lineStart = text.lastIndexOf('\n', offset - 1) + 1;
        int i = lineStart;
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) i++;
        return text.substring(lineStart, i);
    }
}
