package dev.solo.core;

import dev.solo.core.internal.LineCodec;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.Socket;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The resident's side of the line protocol (docs/protocol.md), on the sockets of a {@link
 * ClaimResult.Claimed}.
 *
 * <p><b>Threads.</b> One acceptor thread per listening socket ({@code solo-<service>-accept-v4/v6});
 * every connection is handled on its own pooled thread ({@code solo-<service>-conn-N}), so a silent
 * client never delays another's {@code PING}. One sweeper thread ({@code solo-<service>-deadlines})
 * enforces the deadlines of all connections. At most {@code maxConnections} are handled at once;
 * beyond that a new connection is answered {@code ERROR\nBusy, please retry} by the acceptor.
 *
 * <p><b>Deadlines.</b> The first line must arrive within the first-line timeout (default 2 s); later
 * reads and every write within the I/O timeout (default 10 s). A read that misses its deadline is
 * answered with an {@code ERROR} that says so; a stalled write is closed. Deadlines are checked every
 * eighth of the shorter timeout (between 5 and 250 ms), so they fire up to one tick late. Handlers
 * have no deadline: an interactive job may wait for its user; the client bounds its own wait.
 *
 * <p><b>Shutdown.</b> {@link #close()} is idempotent and ordered: stop accepting, remove the registry
 * record, answer every connection that has no answer yet with {@code ERROR\nshutting down}, interrupt
 * handlers, wait (bounded) for the threads to end.
 */
public final class LineServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LineServer.class.getName());
    /** How long, in all, a connection is drained after an error answer before it is closed. */
    private static final int LINGER_MILLIS = 1000;
    /** How much is drained at most: enough for a refused body of the largest payload. */
    private static final long LINGER_BYTES = 17L * 1024 * 1024;

    private final SingleInstance app;
    private final ServiceIdentity identity;
    private final ClaimResult.Claimed claim;
    private final Map<String, Verb> verbs;
    private final int firstLineMillis;
    private final int ioMillis;
    private final int maxPayload;
    private final ThreadPoolExecutor connections;
    private final ScheduledThreadPoolExecutor deadlines;
    private final List<Thread> acceptors = new ArrayList<>();
    private final Set<Connection> active = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean exclusiveRunning = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch closedLatch = new CountDownLatch(1);

    private LineServer(Builder b, ClaimResult.Claimed claim) {
        this.app = b.app;
        this.claim = claim;
        this.identity = claim.identity();
        this.verbs = Map.copyOf(b.verbs);
        this.firstLineMillis = (int) b.firstLineTimeout.toMillis();
        this.ioMillis = (int) b.ioTimeout.toMillis();
        this.maxPayload = b.maxPayload;
        String prefix = "solo-" + identity.service();
        AtomicInteger n = new AtomicInteger();
        this.connections =
                new ThreadPoolExecutor(0, b.maxConnections, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, prefix + "-conn-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.deadlines = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, prefix + "-deadlines");
            t.setDaemon(true);
            return t;
        });
        long tick = Math.max(5, Math.min(250, Math.min(firstLineMillis, ioMillis) / 8));
        deadlines.scheduleWithFixedDelay(this::sweep, tick, tick, TimeUnit.MILLISECONDS);
    }

    /**
     * Enforces every connection's current deadline: answers a read that timed out with its {@code
     * ERROR}, closes a stalled write. One sweeper for all connections, instead of a timer task per
     * read or write, keeps the hot path free of thread wake-ups and of the blocking-mode switches a
     * timed read costs on a channel's socket; the price is a deadline late by at most one tick.
     */
    private void sweep() {
        long now = System.nanoTime();
        for (Connection c : active) {
            long due = c.deadline;
            if (due != 0 && now - due > 0) {
                String answer = c.timeoutAnswer;
                if (answer != null) c.respond(LineCodec.error(answer));
                c.close();
            }
        }
    }

    /** A builder for a server of {@code app}. */
    public static Builder builder(SingleInstance app) {
        return new Builder(app);
    }

    /** Who this resident is, with its current state. */
    public ServiceIdentity identity() {
        return identity.withState(exclusiveRunning.get() ? ServiceIdentity.State.BUSY : ServiceIdentity.State.IDLE);
    }

    /** The port it serves on. */
    public int port() {
        return identity.port();
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitClose() throws InterruptedException {
        closedLatch.await();
    }

    private void start() {
        int i = 0;
        for (ServerSocketChannel channel : claim.channels()) {
            String family = i++ == 0 ? "v4" : "v6";
            Thread t = new Thread(() -> acceptLoop(channel), "solo-" + identity.service() + "-accept-" + family);
            t.setDaemon(true);
            acceptors.add(t);
            t.start();
        }
    }

    private void acceptLoop(ServerSocketChannel channel) {
        while (!closed.get()) {
            SocketChannel client;
            try {
                client = channel.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed.get()) return;
                LOG.log(Level.WARNING, "accept failed on port " + port() + ": " + e);
                continue;
            }
            Connection c = new Connection(client.socket());
            active.add(c);
            if (closed.get()) {
                c.respond(LineCodec.error(LineCodec.SHUTTING_DOWN_MESSAGE));
                c.close();
                continue;
            }
            try {
                connections.execute(() -> serve(c));
            } catch (RejectedExecutionException e) {
                c.respond(LineCodec.error(LineCodec.BUSY_MESSAGE));
                c.close();
            }
        }
    }

    private void serve(Connection c) {
        try {
            Socket s = c.socket;
            s.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(s.getInputStream(), 8192);
            String line = readLine(c, in, "request line", firstLineMillis);
            if (line == null) return;
            LineCodec.First first = LineCodec.parseFirst(line);
            if (first instanceof LineCodec.Ping) {
                c.respond((LineCodec.PONG + "\n").getBytes(StandardCharsets.US_ASCII));
            } else if (first instanceof LineCodec.Hello hello) {
                c.write(helloAnswer(hello.nonce()));
                // A client that trusts the proof may go on with AUTH on this connection.
                String next = readLine(c, in, "AUTH line after HELLO", firstLineMillis);
                if (next == null) return;
                LineCodec.First then = LineCodec.parseFirst(next);
                if (then instanceof LineCodec.Auth auth) {
                    authenticated(c, in, auth.token());
                } else {
                    c.respond(LineCodec.error(
                            "after HELLO only AUTH <token> may follow, got " + LineCodec.abbreviate(next)));
                }
            } else if (first instanceof LineCodec.Auth auth) {
                authenticated(c, in, auth.token());
            } else {
                c.respond(LineCodec.error(((LineCodec.Rejected) first).reason()));
            }
        } catch (IOException e) {
            // the client left, or a deadline closed the socket: nothing to answer
        } finally {
            c.lingeringClose();
        }
    }

    private void authenticated(Connection c, InputStream in, String token) throws IOException {
        if (!app.registry().token().matches(token)) {
            c.respond(LineCodec.error("unauthorized: wrong token. Use the token of the user running the resident"
                    + " (the file 'token' in its solo home)."));
            return;
        }
        String line = readLine(c, in, "verb line after AUTH", ioMillis);
        if (line == null) return;
        LineCodec.Verb parsed = LineCodec.parseVerb(line);
        Verb verb = parsed == null ? null : verbs.get(parsed.name());
        if (verb == null) {
            c.respond(LineCodec.error("unknown verb " + LineCodec.abbreviate(parsed == null ? line : parsed.name())
                    + "; " + identity.service() + " serves "
                    + String.join(", ", new java.util.TreeSet<>(verbs.keySet()))));
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
            body = LineCodec.readExactly(in, (int) length);
            c.clearDeadline();
        }
        dispatch(c, verb, new Request(verb.name(), args, body));
    }

    private void dispatch(Connection c, Verb verb, Request request) {
        if (verb.exclusive() && !exclusiveRunning.compareAndSet(false, true)) {
            c.respond(LineCodec.error(LineCodec.BUSY_MESSAGE));
            return;
        }
        Response response;
        try {
            if (closed.get()) {
                response = Response.error(LineCodec.SHUTTING_DOWN_MESSAGE);
            } else {
                response = Objects.requireNonNull(verb.handler().handle(request), "handler returned null");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response = Response.error(closed.get() ? LineCodec.SHUTTING_DOWN_MESSAGE : "interrupted");
        } catch (Exception | Error e) {
            LOG.log(Level.WARNING, "handler of " + verb.name() + " failed", e);
            String message = e.getMessage();
            response = Response.error(message != null && !message.isBlank() ? message : e.toString());
        } finally {
            if (verb.exclusive()) exclusiveRunning.set(false);
        }
        if (response instanceof Response.Success ok) {
            if (ok.payload().length > maxPayload) {
                c.respond(LineCodec.error(
                        "the answer of " + ok.payload().length + " bytes is over the cap of " + maxPayload + " bytes"));
            } else {
                c.respond(LineCodec.success(ok.payload()));
            }
        } else {
            c.respond(LineCodec.error(((Response.Error) response).message()));
        }
    }

    private byte[] helloAnswer(String nonce) {
        ServiceIdentity now = identity();
        Map<String, Object> map = new LinkedHashMap<>(now.toMap(app.clock().instant()));
        map.put("proof", app.registry().token().proof(nonce, now));
        return (LineCodec.HELLO + " " + dev.solo.core.internal.Json.write(map) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads a line within {@code timeoutMillis} and answers the ways it can go wrong; {@code null} when
     * there is nothing more to do. A timeout is answered by the sweeper, which then closes the socket,
     * so the blocked read ends with an {@link IOException}.
     */
    private String readLine(Connection c, InputStream in, String what, int timeoutMillis) throws IOException {
        c.expect(timeoutMillis, "no " + what + " within " + timeoutMillis + " ms; lines end with \\n");
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

    /**
     * Stops the server; see the class comment for the order. Idempotent; waits at most about three
     * seconds for handler threads and logs a warning if they do not end.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        try {
            for (ServerSocketChannel channel : claim.channels()) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
            claim.registry().remove(claim.record());
            for (Connection c : active) {
                c.respond(LineCodec.error(LineCodec.SHUTTING_DOWN_MESSAGE));
                c.close();
            }
            connections.shutdownNow();
            deadlines.shutdownNow();
            try {
                if (!connections.awaitTermination(3, TimeUnit.SECONDS)) {
                    LOG.log(
                            Level.WARNING,
                            identity.service() + ": " + connections.getActiveCount()
                                    + " handler thread(s) still running 3 s after shutdown; they ignore interrupts");
                }
                for (Thread t : acceptors) t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } finally {
            closedLatch.countDown();
        }
    }

    /**
     * One client connection. The answer is written at most once: by the handler's thread, by the
     * sweeper when a read deadline passes, or by shutdown.
     */
    private final class Connection {
        final Socket socket;
        final AtomicBoolean answered = new AtomicBoolean();
        /** {@code System.nanoTime()} by which the current read or write must finish; 0: none. */
        volatile long deadline;
        /** What to answer when a read misses its deadline; {@code null} for a write (just close). */
        volatile String timeoutAnswer;
        /** Whether the answer was an error that may have left client input unread. */
        volatile boolean errorAnswered;

        Connection(Socket socket) {
            this.socket = socket;
        }

        void expect(int millis, String answerOnTimeout) {
            timeoutAnswer = answerOnTimeout;
            deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis) | 1; // never 0
        }

        void clearDeadline() {
            deadline = 0;
        }

        /** Writes a partial answer (HELLO) that does not end the exchange. */
        void write(byte[] bytes) throws IOException {
            expect(ioMillis, null);
            try {
                OutputStream out = socket.getOutputStream();
                out.write(bytes);
                out.flush();
            } finally {
                clearDeadline();
            }
        }

        /** Writes the final answer and half-closes, once; later calls do nothing. */
        void respond(byte[] bytes) {
            if (!answered.compareAndSet(false, true)) return;
            errorAnswered = bytes.length > 0 && bytes[0] == 'E';
            expect(ioMillis, null);
            try {
                OutputStream out = socket.getOutputStream();
                out.write(bytes);
                out.flush();
                socket.shutdownOutput();
            } catch (IOException e) {
                // the client left before its answer
            } finally {
                clearDeadline();
            }
        }

        /**
         * Closes the connection. After an {@code ERROR} it first reads what the client still sends, for
         * at most one second and 17 MiB in all: closing a socket with unread input makes the kernel send
         * a reset, and a reset can destroy the answer before the client reads it (a client that sent an
         * over-long line, a whole HTTP request, or a body the verb refused would see "connection reset"
         * instead of our {@code ERROR}). After a {@code SUCCESS}, {@code PONG} or {@code HELLO} the whole
         * request was read, so it closes at once.
         */
        void lingeringClose() {
            if (errorAnswered && !closed.get() && !socket.isClosed()) {
                try {
                    InputStream in = socket.getInputStream();
                    byte[] sink = new byte[64 * 1024];
                    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
                    long drained = 0;
                    while (drained < LINGER_BYTES) {
                        long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
                        if (left <= 0) break;
                        socket.setSoTimeout((int) left);
                        int r = in.read(sink);
                        if (r < 0) break;
                        drained += r;
                    }
                } catch (IOException timeoutOrReset) {
                    // the client keeps sending or went away; close anyway
                }
            }
            close();
        }

        void close() {
            active.remove(this);
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    /** Checked settings for a {@link LineServer}. */
    public static final class Builder {
        private final SingleInstance app;
        private final Map<String, Verb> verbs = new LinkedHashMap<>();
        private Duration firstLineTimeout = Duration.ofSeconds(2);
        private Duration ioTimeout = Duration.ofSeconds(10);
        private int maxPayload = 16 * 1024 * 1024;
        private int maxConnections = 128;

        private Builder(SingleInstance app) {
            this.app = Objects.requireNonNull(app, "app");
            if (app.protocol() != Protocol.LINE) {
                throw new IllegalArgumentException(
                        app.service() + " is configured for HTTP; a LineServer needs Protocol.LINE");
            }
        }

        /** Registers a verb; a name may be registered once. */
        public Builder verb(Verb verb) {
            if (verbs.putIfAbsent(verb.name(), verb) != null) {
                throw new IllegalArgumentException("verb " + verb.name() + " is registered twice");
            }
            return this;
        }

        /** How long a new connection may take to send its first line; default 2 s. */
        public Builder firstLineTimeout(Duration timeout) {
            this.firstLineTimeout = positive("firstLineTimeout", timeout);
            return this;
        }

        /** The deadline of every later read and of every write; default 10 s. */
        public Builder ioTimeout(Duration timeout) {
            this.ioTimeout = positive("ioTimeout", timeout);
            return this;
        }

        /** The largest answer payload, in bytes; default 16 MiB. */
        public Builder maxPayload(int bytes) {
            if (bytes <= 0) throw new IllegalArgumentException("maxPayload must be > 0, got " + bytes);
            this.maxPayload = bytes;
            return this;
        }

        /** How many connections are handled at once; default 128. */
        public Builder maxConnections(int n) {
            if (n < 1) throw new IllegalArgumentException("maxConnections must be >= 1, got " + n);
            this.maxConnections = n;
            return this;
        }

        /** Starts serving on the claimed sockets; the server owns them from now on. */
        public LineServer start(ClaimResult.Claimed claimed) {
            Objects.requireNonNull(claimed, "claimed");
            if (!claimed.identity().service().equals(app.service())) {
                throw new IllegalArgumentException(
                        "the claim is for " + claimed.identity().service() + ", not " + app.service());
            }
            LineServer server = new LineServer(this, claimed);
            server.start();
            return server;
        }

        private static Duration positive(String what, Duration d) {
            Objects.requireNonNull(d, what);
            if (d.isZero() || d.isNegative() || d.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(what + " must be between 1 ms and 24 days, got " + d);
            }
            return d;
        }
    }
}
