package dev.solo.core.internal;

import dev.solo.core.ServiceIdentity;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Framing of the line protocol (docs/protocol.md): UTF-8 lines ending in {@code \n}, a first line that
 * says what the client wants, and an answer {@code SUCCESS\n<payload>} or {@code ERROR\n<message>} whose
 * payload ends at close. Pure functions over streams, so every rule is testable without sockets.
 *
 * <p>Keywords are compared byte-exactly (never with {@code toUpperCase}, which turns {@code "i"} into
 * {@code "İ"} under a Turkish default locale).
 */
public final class LineCodec {
    /** The longest line a peer may send, in bytes, without its {@code \n}. */
    public static final int MAX_LINE = 8 * 1024;
    /** The largest {@code max} {@link #readLine} accepts; lines are small by design. */
    static final int MAX_LINE_LIMIT = 1024 * 1024;

    public static final String PING = "PING";
    public static final String PONG = "PONG";
    public static final String HELLO = "HELLO";
    public static final String AUTH = "AUTH";
    public static final String SUCCESS = "SUCCESS";
    public static final String ERROR = "ERROR";
    public static final String BUSY_MESSAGE = "Busy, please retry";
    public static final String SHUTTING_DOWN_MESSAGE = "shutting down";
    /** The first line of every answer on the same-user socket: the resident's identity. */
    public static final String GREETING = "SOLO";
    /** On the same-user socket, an optional line before the request: when the client stops waiting. */
    public static final String EXPIRES = "EXPIRES";
    /** The answer to a request read after its {@code EXPIRES}: it was not run. */
    public static final String EXPIRED_MESSAGE = "expired: the client stopped waiting before this request was read";

    /**
     * Only the resident needs this one; it lives in a holder so that a client loading the codec does
     * not compile it. (Verb names and nonces are checked by loops: a compiled regex bootstraps the
     * JDK's lambda machinery, milliseconds of every short-lived client's start.)
     */
    private static final class Http {
        static final Pattern LINE = Pattern.compile("[A-Z]{3,10} \\S+ HTTP/\\d(\\.\\d)?|PRI \\* HTTP/2\\.0");
    }

    private LineCodec() {}

    /** A line longer than {@link #MAX_LINE} bytes. */
    public static final class LineTooLongException extends IOException {
        private static final long serialVersionUID = 1L;

        LineTooLongException(int max) {
            super("line longer than " + max + " bytes");
        }
    }

    /** A line that is not valid UTF-8, holds a NUL, or was cut off by the end of the stream. */
    public static final class MalformedLineException extends IOException {
        private static final long serialVersionUID = 1L;

        public MalformedLineException(String message) {
            super(message);
        }
    }

    /**
     * Reads one line of at most {@code max} bytes and returns it without its {@code \n} (and without a
     * {@code \r} before it, so {@code telnet} and {@code nc -C} work).
     *
     * @return the line, or {@code null} when the stream ends before its first byte
     * @throws LineTooLongException past {@code max} bytes; the rest of the line is not read
     * @throws MalformedLineException for invalid UTF-8, a NUL byte, or a stream that ends mid-line
     */
    public static String readLine(InputStream in, int max) throws IOException {
        if (max < 0 || max > MAX_LINE_LIMIT) {
            throw new IllegalArgumentException("max must be 0.." + MAX_LINE_LIMIT + ", got " + max);
        }
        byte[] buf = new byte[Math.min(max + 1, 256)];
        int n = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (n == 0) return null;
                throw new MalformedLineException("the stream ended inside a line (no \\n after " + n + " bytes)");
            }
            if (b == '\n') break;
            if (b == 0) throw new MalformedLineException("NUL byte in line");
            if (n == max + 1) throw new LineTooLongException(max);
            if (n == buf.length) buf = Arrays.copyOf(buf, Math.min(buf.length * 2, max + 1));
            buf[n++] = (byte) b;
        }
        if (n > 0 && buf[n - 1] == '\r') n--;
        if (n > max) throw new LineTooLongException(max);
        return decode(buf, 0, n);
    }

    /**
     * The text of a line's bytes (without its {@code \n} and {@code \r}): plain ASCII directly, anything
     * else through a strict UTF-8 decoder.
     *
     * @throws MalformedLineException for invalid UTF-8
     */
    public static String decode(byte[] buf, int off, int len) throws MalformedLineException {
        boolean ascii = true;
        for (int i = off; i < off + len && ascii; i++) ascii = buf[i] >= 0;
        if (ascii) return new String(buf, off, len, StandardCharsets.US_ASCII);
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buf, off, len))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedLineException("line is not valid UTF-8");
        }
    }

    /** Reads exactly {@code length} bytes or throws {@link EOFException}. */
    public static byte[] readExactly(InputStream in, int length) throws IOException {
        byte[] body = in.readNBytes(length);
        if (body.length != length) {
            throw new EOFException("expected " + length + " bytes of body, got " + body.length);
        }
        return body;
    }

    /**
     * Reads the rest of the stream up to {@code cap} bytes.
     *
     * @throws IOException when the payload is larger than {@code cap}
     */
    public static byte[] readPayload(InputStream in, int cap) throws IOException {
        // One growing array, read into directly: most answers are a few KiB, and every byte counts on a
        // client's delegation.
        byte[] buf = new byte[(int) Math.min((long) cap + 1, Math.max(in.available() + 1L, 2048L))];
        int n = 0;
        while (true) {
            if (n == buf.length) {
                if (n > cap) throw new IOException("payload larger than the cap of " + cap + " bytes");
                buf = Arrays.copyOf(buf, (int) Math.min((long) cap + 1, 2L * n));
            }
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) break;
            n += r;
        }
        if (n > cap) throw new IOException("payload larger than the cap of " + cap + " bytes");
        return n == buf.length ? buf : Arrays.copyOf(buf, n);
    }

    /** What the first line of a connection asks for. */
    public sealed interface First {}

    /** {@code PING}: answer {@code PONG} and close (ADR-007). */
    public record Ping() implements First {}

    /** {@code HELLO <nonce>}: answer identity and proof. */
    public record Hello(String nonce) implements First {}

    /** {@code AUTH <token>}: a verb line follows. */
    public record Auth(String token) implements First {}

    /**
     * Anything else; {@code reason} is the text of the {@code ERROR} answer. {@code verb} is the verb
     * name when the line is a bare verb request (what an ADR-007 client sends), else {@code null}: a
     * resident may serve such a request after all when it knows the client is its own user.
     */
    public record Rejected(String reason, String verb) implements First {
        public Rejected(String reason) {
            this(reason, null);
        }
    }

    /** Classifies a first line. Never throws. */
    public static First parseFirst(String line) {
        if (line.equals(PING)) return new Ping();
        if (line.startsWith(HELLO + " ")) {
            String nonce = line.substring(HELLO.length() + 1);
            if (!isNonce(nonce)) {
                return new Rejected(
                        "HELLO needs a nonce of 16 to 128 characters [0-9A-Za-z_-], got " + abbreviate(nonce));
            }
            return new Hello(nonce);
        }
        if (line.startsWith(AUTH + " ")) return new Auth(line.substring(AUTH.length() + 1));
        if (line.indexOf(" HTTP/") > 0 && Http.LINE.matcher(line).matches()) {
            return new Rejected("this port speaks the solo line protocol, not HTTP (got " + abbreviate(line)
                    + "); see docs/protocol.md");
        }
        if (line.equals(HELLO) || line.equals(AUTH)) {
            return new Rejected(line + " needs an argument; see docs/protocol.md");
        }
        Verb verb = parseVerb(line);
        if (verb != null) {
            return new Rejected(
                    "unauthenticated request " + abbreviate(verb.name())
                            + ": send 'AUTH <token>' first (the per-user token file; see docs/protocol.md)",
                    verb.name());
        }
        return new Rejected("unknown request " + abbreviate(line) + "; expected PING, HELLO <nonce> or AUTH <token>");
    }

    /** A verb line: {@code NAME} or {@code NAME args}. */
    public record Verb(String name, String args) {}

    /** Parses a verb line, or returns {@code null} when the name is not {@code [A-Z][A-Z0-9_]{0,31}}. */
    public static Verb parseVerb(String line) {
        int space = line.indexOf(' ');
        String name = space < 0 ? line : line.substring(0, space);
        String args = space < 0 ? "" : line.substring(space + 1);
        if (!isVerbName(name)) return null;
        return new Verb(name, args);
    }

    /** Whether {@code name} is a legal verb name. */
    public static boolean isVerbName(String name) {
        if (name == null || name.isEmpty() || name.length() > 32) return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (i > 0 && ((c >= '0' && c <= '9') || c == '_'));
            if (!ok) return false;
        }
        return true;
    }

    /** {@code [0-9A-Za-z_-]{16,128}}. */
    static boolean isNonce(String nonce) {
        if (nonce.length() < 16 || nonce.length() > 128) return false;
        for (int i = 0; i < nonce.length(); i++) {
            char c = nonce.charAt(i);
            boolean ok =
                    (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '-';
            if (!ok) return false;
        }
        return true;
    }

    /**
     * The greeting that starts every answer on the same-user socket, without its answer length: {@code
     * SOLO <pid> <port> <instance> <started> <idle|busy> } ({@code <started>} as epoch seconds with
     * nine decimals: no date parsing on the client's start). {@link #greeting(String, long, String)}
     * completes it. The client knows service, user and name from its own settings.
     */
    public static String greetingHead(ServiceIdentity id) {
        String nanos = Integer.toString(id.started().getNano());
        return GREETING + " " + id.pid() + " " + id.port() + " " + id.instance() + " "
                + id.started().getEpochSecond() + "." + "000000000".substring(nanos.length()) + nanos + " "
                + id.state().wire() + " ";
    }

    /**
     * A whole greeting line: {@code head} from {@link #greetingHead}, the number of bytes of answer that
     * follow it ({@code -} when the greeting goes out before the answer is known: then the answer ends at
     * close), and the version.
     */
    public static byte[] greeting(String head, long answerLength, String version) {
        String length = answerLength < 0 ? "-" : Long.toString(answerLength);
        return (head + length + " " + version + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The greeting of {@code id} with no length ({@code -}); for tests and fakes. */
    public static String greeting(ServiceIdentity id) {
        return greetingHead(id) + "- " + id.version() + "\n";
    }

    /**
     * The identity in a greeting line (without its {@code \n}), or {@code null} when it is not one. The
     * answer length is {@link #greetedLength}.
     */
    public static ServiceIdentity parseGreeting(String line, String service, String user, String name) {
        String[] f = greetingFields(line);
        if (f == null) return null;
        try {
            int dot = f[3].indexOf('.');
            java.time.Instant started = java.time.Instant.ofEpochSecond(
                    Long.parseLong(f[3], 0, dot, 10), Long.parseLong(f[3], dot + 1, f[3].length(), 10));
            return new ServiceIdentity(
                    service,
                    f[6],
                    Long.parseLong(f[0]),
                    user,
                    f[2],
                    started,
                    Integer.parseInt(f[1]),
                    name,
                    f[4].equals("busy") ? ServiceIdentity.State.BUSY : ServiceIdentity.State.IDLE);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The answer length a greeting announces, or -1 when it says {@code -} (the answer ends at close). */
    public static long greetedLength(String line) {
        String[] f = greetingFields(line);
        if (f == null || f[5].equals("-")) return -1;
        try {
            return Long.parseLong(f[5]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** pid, port, instance, started, state, length, version; {@code null} when the line is no greeting. */
    private static String[] greetingFields(String line) {
        if (!line.startsWith(GREETING + " ")) return null;
        String[] f = new String[7];
        int from = GREETING.length() + 1;
        for (int i = 0; i < 7; i++) {
            int space = i == 6 ? line.length() : line.indexOf(' ', from);
            if (space < 0) return null;
            f[i] = line.substring(from, space);
            from = space + 1;
        }
        return f;
    }

    /** {@code SUCCESS\n} followed by the payload. */
    public static byte[] success(byte[] payload) {
        byte[] head = (SUCCESS + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + payload.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(payload, 0, out, head.length, payload.length);
        return out;
    }

    /** {@code ERROR\n} followed by the message. */
    public static byte[] error(String message) {
        return (ERROR + "\n" + message).getBytes(StandardCharsets.UTF_8);
    }

    /** A value quoted and cut to 60 characters, for error messages that echo peer input. */
    public static String abbreviate(String s) {
        StringBuilder out = new StringBuilder("'");
        for (int i = 0; i < s.length() && i < 60; i++) {
            char c = s.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        if (s.length() > 60) out.append("...");
        return out.append('\'').toString();
    }
}
