package dev.solo.core.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.opentest4j.AssertionFailedError;

/**
 * Everything a peer sent on one connection until it closed.
 *
 * @param reset whether the connection ended with a reset instead of a clean close
 * @param elapsed from the start of reading to the close
 */
public record Reply(byte[] bytes, boolean reset, Duration elapsed) {

    /** The bytes as UTF-8. */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Asserts these bytes are exactly {@code expected} in UTF-8, then a clean close; shows both escaped. */
    public Reply assertExactly(String expected) {
        byte[] want = expected.getBytes(StandardCharsets.UTF_8);
        if (!Arrays.equals(want, bytes)) {
            String got = escape(bytes) + (reset ? " (then a reset)" : "");
            throw new AssertionFailedError(
                    "expected the answer " + escape(want) + " but got " + got, escape(want), escape(bytes));
        }
        if (reset) throw new AssertionError("answer " + escape(bytes) + " was right but ended in a reset, not a close");
        return this;
    }

    /** Asserts the answer starts with {@code ERROR\n} and returns the message after it. */
    public String errorMessage() {
        String text = text();
        if (!text.startsWith("ERROR\n")) {
            throw new AssertionError("expected an answer starting with ERROR\\n, got " + escape(bytes));
        }
        return text.substring("ERROR\n".length());
    }

    /** The bytes as a Java-like string literal: {@code "PONG\n"}, with {@code \xNN} for non-ASCII bytes. */
    public static String escape(byte[] bytes) {
        StringBuilder out = new StringBuilder("\"");
        int shown = Math.min(bytes.length, 400);
        for (int i = 0; i < shown; i++) {
            int b = bytes[i] & 0xff;
            switch (b) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (b >= 0x20 && b < 0x7f) out.append((char) b);
                    else out.append(String.format("\\x%02x", b));
                }
            }
        }
        out.append('"');
        if (bytes.length > shown) out.append(" ... (").append(bytes.length).append(" bytes)");
        return out.toString();
    }
}
