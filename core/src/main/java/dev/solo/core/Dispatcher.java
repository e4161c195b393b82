package dev.solo.core;

import dev.solo.core.internal.LineCodec;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the verbs of a {@link LineServer} for connections that may act: authenticated with the token,
 * a raw ADR-007 request from this OS user, or any request on the same-user socket. Reads the verb line
 * and body with deadlines, keeps exclusive verbs one at a time, calls the handler and answers.
 *
 * <p>Thread-safe: every connection runs on its own thread.
 */
final class Dispatcher {
    private static final System.Logger LOG = System.getLogger(LineServer.class.getName());

    /** The answer of a handler interrupted because its client went; only a half-closed client reads it. */
    static final String CLIENT_GONE_MESSAGE = "cancelled: the client closed its connection while its request ran";

    private final String service;
    private final Map<String, Verb> verbs;
    private final int ioMillis;
    private final int maxPayload;
    private final AtomicBoolean closed;
    private final AtomicBoolean exclusiveRunning = new AtomicBoolean();

    Dispatcher(String service, Map<String, Verb> verbs, int ioMillis, int maxPayload, AtomicBoolean closed) {
        this.service = service;
        this.verbs = Map.copyOf(verbs);
        this.ioMillis = ioMillis;
        this.maxPayload = maxPayload;
        this.closed = closed;
    }

    /** Whether an exclusive verb runs now. */
    boolean busy() {
        return exclusiveRunning.get();
    }

    /** Whether {@code line} names one of the registered verbs (and so is no PING, HELLO or AUTH). */
    boolean isVerbLine(String line) {
        int space = line.indexOf(' ');
        return verbs.containsKey(space < 0 ? line : line.substring(0, space));
    }

    /** Whether {@code verbName} is registered and may be asked for without {@code AUTH} by this user. */
    boolean rawAllowed(String verbName) {
        Verb v = verbs.get(verbName);
        return v != null && v.rawFromSameUser();
    }

    /** Reads the verb line within the I/O timeout, then serves it. */
    void readVerbAndServe(Exchange c, InputStream in) throws IOException {
        String line = readLine(c, in, "verb line after AUTH", ioMillis);
        if (line != null) serve(c, in, line);
    }

    /** Serves the request of {@code line}, a verb line ({@code NAME[ <length>][ args]}). */
    void serve(Exchange c, InputStream in, String line) throws IOException {
        serve(c, in, line, 0);
    }

    /**
     * Serves the request of {@code line}; when {@code notAfterMillis} is not 0 and the wall clock is past
     * it once the request is read, answers {@link LineCodec#EXPIRED_MESSAGE} instead of running it.
     */
    void serve(Exchange c, InputStream in, String line, long notAfterMillis) throws IOException {
        LineCodec.Verb parsed = LineCodec.parseVerb(line);
        Verb verb = parsed == null ? null : verbs.get(parsed.name());
        if (verb == null) {
            c.respond(LineCodec.error("unknown verb " + LineCodec.abbreviate(parsed == null ? line : parsed.name())
                    + "; " + service + " serves " + String.join(", ", new TreeSet<>(verbs.keySet()))));
            return;
        }
        String args = parsed.args();
        byte[] body = new byte[0];
        if (verb.maxBody() > 0) {
            int space = args.indexOf(' ');
            String lengthText = space < 0 ? args : args.substring(0, space);
            long length;
            try {
                length = Long.parseLong(lengthText);
            } catch (NumberFormatException e) {
                c.respond(LineCodec.error(verb.name() + " needs a byte length after the verb, got "
                        + LineCodec.abbreviate(lengthText) + "; send '" + verb.name() + " <length>' then the bytes"));
                return;
            }
            if (length < 0 || length > verb.maxBody()) {
                c.respond(LineCodec.error(verb.name() + " body of " + length + " bytes is outside 0.." + verb.maxBody()
                        + "; send a smaller one"));
                return;
            }
            args = space < 0 ? "" : args.substring(space + 1);
            c.expect(
                    ioMillis,
                    "the " + length + " bytes of the " + verb.name() + " body did not arrive within " + ioMillis
                            + " ms");
            body = in.readNBytes((int) length);
            c.clearDeadline();
            if (body.length != length) { // the client closed its side early: say so rather than hang up
                c.respond(LineCodec.error("the " + verb.name() + " body ended after " + body.length + " of " + length
                        + " bytes; send exactly " + length + " bytes after '" + verb.name() + " " + length + "'"));
                return;
            }
        }
        if (notAfterMillis != 0 && System.currentTimeMillis() > notAfterMillis) {
            c.respond(LineCodec.error(LineCodec.EXPIRED_MESSAGE)); // its client went on without us
            return;
        }
        dispatch(c, verb, args, body);
    }

    private void dispatch(Exchange c, Verb verb, String args, byte[] body) {
        if (verb.exclusive() && !exclusiveRunning.compareAndSet(false, true)) {
            c.respond(LineCodec.error(LineCodec.BUSY_MESSAGE));
            return;
        }
        Response response;
        Cancellation cancellation = c.handlerStarted();
        try {
            if (closed.get()) {
                response = Response.error(LineCodec.SHUTTING_DOWN_MESSAGE);
            } else {
                Request request = new Request(verb.name(), args, body, cancellation);
                response = Objects.requireNonNull(verb.handler().handle(request), "handler returned null");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response = Response.error(
                    closed.get()
                            ? LineCodec.SHUTTING_DOWN_MESSAGE
                            : cancellation.cancelledQuietly() ? CLIENT_GONE_MESSAGE : "interrupted");
        } catch (Exception | Error e) {
            LOG.log(Level.WARNING, "handler of " + verb.name() + " failed", e);
            String message = e.getMessage();
            response = Response.error(message != null && !message.isBlank() ? message : e.toString());
        } finally {
            c.handlerEnded(); // after this no action on the client's departure runs
            // Such an action may have interrupted this thread: that is not the next request's business
            // (a same-user socket thread goes on to accept, and an interrupt would close the listener).
            if (cancellation.cancelledQuietly() && !closed.get()) Thread.interrupted();
            if (verb.exclusive()) exclusiveRunning.set(false);
        }
        if (response instanceof Response.Success ok) {
            if (ok.payload().length > maxPayload) {
                c.respond(LineCodec.error(
                        "the answer of " + ok.payload().length + " bytes is over the cap of " + maxPayload + " bytes"));
            } else {
                c.respondSuccess(ok.payload());
            }
        } else {
            c.respond(LineCodec.error(((Response.Error) response).message()));
        }
    }

    /**
     * Reads a line within {@code timeoutMillis} and answers the ways it can go wrong; {@code null} when
     * there is nothing more to do. A timeout is answered by the sweeper, which then closes the socket,
     * so the blocked read ends with an {@link IOException}.
     */
    static String readLine(Exchange c, InputStream in, String what, int timeoutMillis) throws IOException {
        c.expectLine(timeoutMillis, what);
        try {
            return LineCodec.readLine(in, LineCodec.MAX_LINE);
        } catch (LineCodec.LineTooLongException e) {
            c.respond(LineCodec.error("line longer than " + LineCodec.MAX_LINE + " bytes"));
        } catch (LineCodec.MalformedLineException e) {
            c.respond(LineCodec.error("malformed line: " + e.getMessage()));
        } finally {
            c.clearDeadline();
        }
        return null;
    }
}
