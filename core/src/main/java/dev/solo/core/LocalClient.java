package dev.solo.core;

import dev.solo.core.internal.LineCodec;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
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
 *
 * <p>It reads the answer straight off the channel into one array: no stream layers, no lock per byte.
 * Stateless; thread-safe.
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
        Watchdog.Wait wait = null;
        try (ch) {
            long expires =
                    System.currentTimeMillis() + TimeUnit.NANOSECONDS.toMillis(greetNanos) - EXPIRY_MARGIN_MILLIS;
            byte[] head = Delegation.head(verb, args, body, null);
            byte[] stamp = (LineCodec.EXPIRES + " " + expires + "\n").getBytes(StandardCharsets.US_ASCII);
            byte[] request = new byte[stamp.length + head.length + (body == null ? 0 : body.length)];
            System.arraycopy(stamp, 0, request, 0, stamp.length);
            System.arraycopy(head, 0, request, stamp.length, head.length);
            if (body != null) System.arraycopy(body, 0, request, stamp.length + head.length, body.length);
            ByteBuffer out = ByteBuffer.wrap(request);
            while (out.hasRemaining()) ch.write(out);

            wait = Watchdog.get().arm(ch, greetNanos);
            Reader in = new Reader(ch);
            String first;
            try {
                first = in.line();
                if (first == null) throw new IOException("the connection closed before an answer");
            } catch (IOException e) {
                if (wait.fired()) return null; // no greeting in time: stopped; the request expires there
                // It took the request and went away before it said a word: killed mid-request, most likely.
                return new Outcome.ResidentLost(recorded(), e);
            }
            ServiceIdentity resident = LineCodec.parseGreeting(first, app.service(), app.user(), app.name());
            if (resident == null) return null; // not one of ours after all
            wait.restart(app.answerTimeout().toNanos());
            long length = LineCodec.greetedLength(first);
            try {
                byte[] payload;
                String status;
                if (length >= 0) {
                    // The greeting says how much follows: read that much, and do not wait for the close.
                    if (length > app.maxPayload() + (long) LineCodec.MAX_LINE) {
                        throw new IOException(
                                "an answer of " + length + " bytes is over the cap of " + app.maxPayload() + " bytes");
                    }
                    int end = in.fillTo((int) length);
                    status = in.line();
                    if (status == null) throw new IOException("the connection closed before an answer");
                    payload = in.upTo(end);
                } else {
                    status = in.line();
                    if (status == null) throw new IOException("the connection closed before an answer");
                    payload = in.rest(app.maxPayload());
                }
                Outcome o = Delegation.outcome(resident, status, payload);
                if (o instanceof Outcome.ResidentError e && e.error().equals(LineCodec.EXPIRED_MESSAGE)) return null;
                return o;
            } catch (IOException e) {
                if (wait.fired()) {
                    e = new SocketTimeoutException(
                            "no answer within " + app.answerTimeout().toMillis() + " ms");
                }
                return new Outcome.ResidentLost(resident, e);
            }
        } catch (IOException e) {
            return null; // the request could not be written: nothing was read, go on over TCP
        } finally {
            if (wait != null) Watchdog.get().disarm(wait);
        }
    }

    /**
     * What a {@code PING} on the socket found: the resident's identity; or, for a socket that took the
     * connection and said nothing within the greeting wait, {@code silentFor} (a resident that is stopped
     * or hung: its process is alive, since the kernel accepted); else neither (no socket, a stale one).
     */
    record Ping(ServiceIdentity identity, Duration silentFor) {
        static final Ping NOBODY = new Ping(null, null);

        boolean silent() {
            return silentFor != null;
        }
    }

    /** Asks the resident behind the socket who it is; see {@link Ping}. */
    Ping find() {
        SocketChannel ch = connect();
        if (ch == null) return Ping.NOBODY;
        Watchdog.Wait wait = null;
        long greetNanos = greetWaitNanos();
        try (ch) {
            ch.write(ByteBuffer.wrap((LineCodec.PING + "\n").getBytes(StandardCharsets.US_ASCII)));
            wait = Watchdog.get().arm(ch, greetNanos);
            String first = new Reader(ch).line();
            ServiceIdentity id =
                    first == null ? null : LineCodec.parseGreeting(first, app.service(), app.user(), app.name());
            return id == null ? Ping.NOBODY : new Ping(id, null);
        } catch (IOException e) {
            return wait != null && wait.fired() ? new Ping(null, Duration.ofNanos(greetNanos)) : Ping.NOBODY;
        } finally {
            if (wait != null) Watchdog.get().disarm(wait);
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
     * How long to wait for the greeting: the probe timeout, at least 2 s. A resident greets as soon as
     * it has read the request (with the answer, or alone after 50 ms of work), so only a stopped or
     * wedged resident takes this long.
     */
    private long greetWaitNanos() {
        return Math.max(app.probeTimeout().toNanos(), TimeUnit.SECONDS.toNanos(2));
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
                    Instant.EPOCH,
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

    /** Lines and the rest of the stream, read off the channel into one growing array. */
    private static final class Reader {
        private final SocketChannel ch;
        private byte[] buf = new byte[2048];
        private int pos;
        private int len;

        Reader(SocketChannel ch) {
            this.ch = ch;
        }

        /** The next line, without {@code \n} (or {@code \r\n}); {@code null} at the end before any byte. */
        String line() throws IOException {
            int scanned = pos;
            while (true) {
                for (int i = scanned; i < len; i++) {
                    byte b = buf[i];
                    if (b == '\n') {
                        int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                        if (end - pos > LineCodec.MAX_LINE) throw new IOException("a line longer than 8192 bytes");
                        String line = LineCodec.decode(buf, pos, end - pos);
                        pos = i + 1;
                        return line;
                    }
                    if (b == 0) throw new IOException("a NUL byte in a line");
                }
                scanned = len;
                if (len - pos > LineCodec.MAX_LINE + 1) throw new IOException("a line longer than 8192 bytes");
                if (!fill()) {
                    if (len == pos) return null;
                    throw new IOException("the stream ended inside a line");
                }
            }
        }

        /**
         * Reads until {@code length} more bytes than consumed so far are in the buffer; returns the
         * index where they end.
         *
         * @throws IOException when the stream ends before
         */
        int fillTo(int length) throws IOException {
            int end = pos + length;
            if (end > buf.length) buf = Arrays.copyOf(buf, end);
            while (len < end) {
                if (!fill())
                    throw new IOException(
                            "the connection closed " + (end - len) + " bytes before the end of the answer");
            }
            return end;
        }

        /** The unread bytes up to {@code end}. */
        byte[] upTo(int end) throws IOException {
            if (end < pos) throw new IOException("the answer is shorter than its status line");
            byte[] out = Arrays.copyOfRange(buf, pos, end);
            pos = end;
            return out;
        }

        /** Everything up to the end of the stream, at most {@code cap} bytes. */
        byte[] rest(int cap) throws IOException {
            while (fill()) {
                if (len - pos > cap) throw new IOException("payload larger than the cap of " + cap + " bytes");
            }
            return Arrays.copyOfRange(buf, pos, len);
        }

        private boolean fill() throws IOException {
            if (len == buf.length) buf = Arrays.copyOf(buf, buf.length * 2);
            int r = ch.read(ByteBuffer.wrap(buf, len, buf.length - len));
            if (r < 0) return false;
            len += r;
            return true;
        }
    }
}
