package dev.solo.cli.monitor;

import java.io.IOException;

/**
 * A reader for the few JSON answers the command line looks into (the counts of {@code GET
 * /api/status}): member names, whole numbers, and skipping any other value, nested ones included. Not
 * a general parser: it builds no tree and decodes only the escapes member names need.
 */
final class FlatJson {
    private static final int MAX_DEPTH = 64;
    private final String s;
    private int i;

    FlatJson(String s) {
        this.s = s;
    }

    void expect(char c) throws IOException {
        if (!take(c)) throw bad("'" + c + "'");
    }

    /** Skips white space; consumes {@code c} when it comes next. */
    boolean take(char c) {
        space();
        if (i < s.length() && s.charAt(i) == c) {
            i++;
            return true;
        }
        return false;
    }

    /** A string, its escapes decoded. */
    String string() throws IOException {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == '"') return b.toString();
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (i >= s.length()) break;
            char e = s.charAt(i++);
            switch (e) {
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'u' -> {
                    if (i + 4 > s.length()) throw bad("four hex digits");
                    try {
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    } catch (NumberFormatException x) {
                        throw bad("four hex digits");
                    }
                    i += 4;
                }
                default -> b.append(e);
            }
        }
        throw bad("the end of a string");
    }

    /** A whole number; -1 (after skipping it) for any other value. */
    long wholeNumberOrSkip() throws IOException {
        space();
        int start = i;
        if (i < s.length() && s.charAt(i) == '-') i++;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
        boolean whole = i > start && (i >= s.length() || ",}] \t\r\n".indexOf(s.charAt(i)) >= 0);
        if (whole) {
            try {
                return Long.parseLong(s.substring(start, i));
            } catch (NumberFormatException tooLong) {
                return -1;
            }
        }
        i = start;
        skipValue();
        return -1;
    }

    /** Skips one value of any kind. */
    void skipValue() throws IOException {
        skip(0);
    }

    private void skip(int depth) throws IOException {
        if (depth > MAX_DEPTH) throw bad("less nesting");
        space();
        if (i >= s.length()) throw bad("a value");
        char c = s.charAt(i);
        if (c == '"') {
            string();
        } else if (c == '{' || c == '[') {
            char close = c == '{' ? '}' : ']';
            i++;
            if (take(close)) return;
            do {
                if (c == '{') {
                    string();
                    expect(':');
                }
                skip(depth + 1);
            } while (take(','));
            expect(close);
        } else {
            int start = i;
            while (i < s.length() && ",}] \t\r\n".indexOf(s.charAt(i)) < 0) i++;
            if (i == start) throw bad("a value");
        }
    }

    private void space() {
        while (i < s.length()
                && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\n' || s.charAt(i) == '\r')) {
            i++;
        }
    }

    private IOException bad(String wanted) {
        String near = s.substring(i, Math.min(s.length(), i + 40));
        return new IOException("the monitor's answer is not the JSON expected: wanted " + wanted + " at offset " + i
                + (near.isEmpty() ? " (end of text)" : " near '" + near + "'"));
    }
}
