package dev.solo.core;

import dev.solo.core.internal.LineCodec;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The client's side of the same-user socket: one connect, the request, the answer. No nonce, no token
 * and no port scan: only this user can have made the socket file (it is checked to be ours), and only
 * this user can connect to it (its directory is 0700).
 *
 * <p>Every method answers {@code null} when the socket cannot be used (no file, a stale file whose
 * resident is gone, a file of another user, a resident that does not greet in time); the caller then
 * goes on over TCP with the proof. The request carries {@code EXPIRES <epoch ms>}: a resident that reads
 * it later (one that was stopped, say) answers {@code expired} and does not run it, so going on over
 * TCP never runs a request twice.
 */
final class LocalClient {
    /** How long before the client's deadline a resident must have read the request to run it. */
    static final long EXPIRY_MARGIN_MILLIS = 500;

    private final SingleInstance app;
    private final Path path;

    LocalClient(SingleInstance app, Path path) {
        this.app = app;
        this.path = path;
    }

    /** The outcome of one request, or {@code null}: go on over TCP. */
    Outcome delegate(String verb, String args, byte[] body) {
        SocketChannel ch = connect();
        if (ch == null) return null;
        long greetNanos = greetWaitNanos();
        try (ch) {
            long expires =
                    System.currentTimeMillis() + TimeUnit.NANOSECONDS.toMillis(greetNanos) - EXPIRY_MARGIN_MILLIS;
            byte[] head = Delegation.head(verb, args, body, null);
            byte[] stamp = (LineCodec.EXPIRES + " " + expires + "\n").getBytes(StandardCharsets.US_ASCII);
            int n = stamp.length + head.length + (body == null ? 0 : body.length);
            ByteBuffer out = ByteBuffer.allocate(n).put(stamp).put(head);
            if (body != null) out.put(body);
            out.flip();
            while (out.hasRemaining()) ch.write(out);
            InputStream in = new BufferedInputStream(Channels.newInputStream(ch), 8192);
            ServiceIdentity resident;
            try {
                resident = greeting(ch, in, greetNanos);
            } catch (IOException closed) {
                // It took the request and went away before it said a word: killed mid-request, most likely.
                return new Outcome.ResidentLost(recorded(), closed);
            }
            if (resident == null) return null;
            Watchdog.Wait answer = Watchdog.get().arm(ch, app.answerTimeout().toNanos());
            try {
                Outcome o = app.delegation().answer(resident, in);
                if (o instanceof Outcome.ResidentError e && e.error().equals(LineCodec.EXPIRED_MESSAGE)) return null;
                return o;
            } catch (IOException e) {
                return new Outcome.ResidentLost(
                        resident, answer.fired() ? timedOut(app.answerTimeout().toMillis()) : e);
            } finally {
                Watchdog.get().disarm(answer);
            }
        } catch (IOException e) {
            return null; // the request could not be written: nothing was read, go on over TCP
        }
    }

    /** The resident's identity, from a {@code PING} on the socket, or {@code null}. */
    ServiceIdentity find() {
        SocketChannel ch = connect();
        if (ch == null) return null;
        try (ch) {
            ch.write(ByteBuffer.wrap((LineCodec.PING + "\n").getBytes(StandardCharsets.US_ASCII)));
            return greeting(ch, new BufferedInputStream(Channels.newInputStream(ch), 256), greetWaitNanos());
        } catch (IOException e) {
            return null; // it went away: go on over TCP
        }
    }

    /** A connection to a socket file of ours, or {@code null}. */
    private SocketChannel connect() {
        if (path == null || !LocalSockets.ours(path)) return null;
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(path));
            return ch;
        } catch (IOException | RuntimeException e) {
            // refused: a file left by a resident that is gone (only the next claimer removes it)
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // nothing to release
                }
            }
            return null;
        }
    }

    /**
     * Reads the greeting within {@code nanos}: the identity, or {@code null} when none came in time (a
     * stopped resident) or the line is not a greeting.
     *
     * @throws IOException when the connection ended before a greeting
     */
    private ServiceIdentity greeting(SocketChannel ch, InputStream in, long nanos) throws IOException {
        Watchdog.Wait w = Watchdog.get().arm(ch, nanos);
        try {
            String line = LineCodec.readLine(in, LineCodec.MAX_LINE);
            if (line == null) throw new IOException("the connection closed before an answer");
            return LineCodec.parseGreeting(line, app.service(), app.user(), app.name());
        } catch (IOException e) {
            if (w.fired()) return null;
            throw e;
        } finally {
            Watchdog.get().disarm(w);
        }
    }

    /**
     * Who the lost resident was, from its registry record (the newest of this service, name and policy),
     * for a resident that went away before it greeted; the settings alone where there is no record.
     */
    private ServiceIdentity recorded() {
        InstanceRecord newest = null;
        for (InstanceRecord r : app.registry().records(app.service())) {
            if (r.name().equals(app.name()) && inPolicy(r.port())) newest = r; // oldest first
        }
        if (newest == null) {
            return new ServiceIdentity(
                    app.service(),
                    "",
                    -1,
                    app.user(),
                    "",
                    java.time.Instant.EPOCH,
                    app.policy().first(),
                    app.name(),
                    ServiceIdentity.State.IDLE);
        }
        return new ServiceIdentity(
                newest.service(),
                newest.version(),
                newest.pid(),
                newest.user(),
                newest.instance(),
                newest.started(),
                newest.port(),
                newest.name(),
                ServiceIdentity.State.BUSY);
    }

    private boolean inPolicy(int port) {
        PortPolicy p = app.policy();
        return p instanceof PortPolicy.Ephemeral || (port >= p.first() && port <= p.last());
    }

    /**
     * How long to wait for the greeting: the probe timeout, at least 2 s. A resident greets as soon as
     * it has read the request (with the answer, or alone after 50 ms of work), so only a stopped or
     * wedged resident takes this long.
     */
    private long greetWaitNanos() {
        return Math.max(app.probeTimeout().toNanos(), TimeUnit.SECONDS.toNanos(2));
    }

    private static IOException timedOut(long millis) {
        return new java.net.SocketTimeoutException("no answer within " + millis + " ms");
    }
}
