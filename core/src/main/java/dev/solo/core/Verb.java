package dev.solo.core;

import dev.solo.core.internal.LineCodec;
import java.util.Objects;

/**
 * A request kind that an application registers with its {@link LineServer}.
 *
 * <p>An <em>exclusive</em> verb runs one at a time across all exclusive verbs of the server (an
 * OCR overlay, say); a request that arrives while one runs is answered {@code ERROR\nBusy, please
 * retry} at once and its handler is not called. A <em>concurrent</em> verb runs on its connection's
 * thread whatever else runs.
 *
 * <p>A verb with {@code maxBody > 0} takes a body: its verb line is {@code NAME <length>[ args]} and
 * exactly {@code length} bytes follow it.
 *
 * <p>Over TCP a verb is served only after {@code AUTH <token>}, unless it opts in with {@link
 * #withRawFromSameUser()}: then a raw request ({@code NAME\n} as the first line, as ADR-007's clients
 * send it) is served too when the kernel says the peer socket belongs to the resident's own OS user
 * (Linux: {@code /proc/net/tcp}, {@code tcp6}); from another user, or where the OS cannot tell, it is
 * refused as an unauthenticated request. On the same-user Unix socket every verb is served without
 * {@code AUTH}.
 *
 * @param name {@code [A-Z][A-Z0-9_]{0,31}}, compared byte-exactly
 * @param rawFromSameUser whether a raw request of this user is served without {@code AUTH} over TCP
 */
public record Verb(String name, boolean exclusive, int maxBody, boolean rawFromSameUser, Handler handler) {

    /**
     * Handles one request on the connection's own thread. May block; it is interrupted on shutdown. It
     * may learn that its client has gone through {@link Request#cancellation()} (and, for instance,
     * interrupt itself then); one that does not ask runs to its end, and its answer finds nobody.
     */
    @FunctionalInterface
    public interface Handler {
        /**
         * @return the answer; an exception becomes {@code ERROR\n<its message>}
         */
        Response handle(Request request) throws Exception;
    }

    public Verb {
        if (!LineCodec.isVerbName(name)) {
            throw new IllegalArgumentException("verb name must match [A-Z][A-Z0-9_]{0,31}, got '" + name + "'");
        }
        if (name.equals(LineCodec.PING) || name.equals(LineCodec.HELLO) || name.equals(LineCodec.AUTH)) {
            throw new IllegalArgumentException("'" + name + "' is a protocol keyword, not a verb name");
        }
        if (maxBody < 0) throw new IllegalArgumentException("maxBody must be >= 0, got " + maxBody);
        Objects.requireNonNull(handler, "handler");
    }

    /** A verb that needs {@code AUTH} over TCP. */
    public Verb(String name, boolean exclusive, int maxBody, Handler handler) {
        this(name, exclusive, maxBody, false, handler);
    }

    /** A verb that runs one at a time and answers busy otherwise. */
    public static Verb exclusive(String name, Handler handler) {
        return new Verb(name, true, 0, handler);
    }

    /** A verb that runs concurrently with anything. */
    public static Verb concurrent(String name, Handler handler) {
        return new Verb(name, false, 0, handler);
    }

    /** This verb, taking a body of at most {@code maxBytes}. */
    public Verb withBody(int maxBytes) {
        if (maxBytes <= 0) throw new IllegalArgumentException("maxBytes must be > 0, got " + maxBytes);
        return new Verb(name, exclusive, maxBytes, rawFromSameUser, handler);
    }

    /**
     * This verb, also served to a raw ADR-007 request ({@code NAME\n}, no {@code AUTH}) over TCP when
     * the kernel says the client runs as the resident's own OS user; see the class comment.
     */
    public Verb withRawFromSameUser() {
        return new Verb(name, exclusive, maxBody, true, handler);
    }
}
