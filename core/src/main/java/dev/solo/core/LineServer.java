package dev.solo.core;

import dev.solo.core.internal.Json;
import dev.solo.core.internal.LineCodec;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The resident's side of the line protocol (docs/protocol.md), on the sockets of a {@link
 * ClaimResult.Claimed}.
 *
 * <p><b>Same-user socket.</b> Where the claim has a place for it ({@link ClaimResult.Claimed#localSocket()})
 * the resident also listens on a Unix-domain socket there (see {@link LocalDoor}); this user's clients
 * try it first and need neither nonce nor token.
 *
 * <p><b>Threads.</b> One selector thread ({@code solo-<service>-front}, {@link FrontDoor}) accepts every
 * TCP connection, reads first lines, and answers {@code PING} and {@code HELLO} itself, however many
 * connections wait. Connections that may act (authenticated with {@code AUTH}, or a raw ADR-007 verb
 * of this OS user, see {@link Verb#withRawFromSameUser()}) go to a pooled worker thread each ({@code
 * solo-<service>-conn-N}); at most {@code maxConnections} at once, beyond that they are answered
 * {@code ERROR\nBusy, please retry}. One sweeper thread ({@code solo-<service>-deadlines}) enforces the
 * workers' deadlines.
 *
 * <p><b>Deadlines.</b> The first line must arrive within the first-line timeout (default 2 s), and so
 * must the {@code AUTH} after a {@code HELLO}; later reads and every write within the I/O timeout
 * (default 10 s). A read that misses its deadline is answered with an {@code ERROR} that says so; a
 * stalled write is closed. Deadlines fire up to one tick late (an eighth of the shorter timeout, 5 to
 * 250 ms). Handlers have no deadline: an interactive job may wait for its user; the client bounds its
 * own wait.
 *
 * <p><b>Shutdown.</b> {@link #close()} is idempotent and ordered: close and remove the same-user
 * socket, stop accepting (connections at the door are answered {@code ERROR\nshutting down}), remove
 * the registry record, answer every worker's
 * connection that has no answer yet with {@code ERROR\nshutting down}, interrupt handlers, wait
 * (bounded) for the threads to end.
 */
public final class LineServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LineServer.class.getName());

    private final SingleInstance app;
    private final ServiceIdentity identity;
    private final ClaimResult.Claimed claim;
    private final int ioMillis;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private final Dispatcher dispatcher;
    private final Sweeper sweeper;
    private final ThreadPoolExecutor workers;
    private final FrontDoor front;
    private final String greetingIdle;
    private final String greetingBusy;
    private final LocalDoor local;
    private volatile HelloJson helloJson;

    private LineServer(Builder b, ClaimResult.Claimed claim) throws IOException {
        this.app = b.app;
        this.claim = claim;
        this.identity = claim.identity();
        int firstLineMillis = (int) b.firstLineTimeout.toMillis();
        this.ioMillis = (int) b.ioTimeout.toMillis();
        String prefix = "solo-" + identity.service();
        this.dispatcher = new Dispatcher(identity.service(), b.verbs, ioMillis, b.maxPayload, closed);
        long tick = Math.max(5, Math.min(250, Math.min(firstLineMillis, ioMillis) / 8));
        // With a same-user socket the sweeper also starts a second acceptor behind a slow handler.
        if (claim.localSocket() != null) tick = Math.min(tick, 10);
        this.sweeper = new Sweeper(prefix + "-deadlines", tick);
        this.workers = new ThreadPoolExecutor(
                0, b.maxConnections, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), new Numbered(prefix + "-conn-"));
        this.front = new FrontDoor(
                this,
                dispatcher,
                claim.channels(),
                b.peerUsers != null ? b.peerUsers : PeerUsers.forPlatform(),
                firstLineMillis,
                ioMillis,
                b.maxIdlePerUser,
                b.maxIdle);
        this.greetingIdle = LineCodec.greetingHead(identity.withState(ServiceIdentity.State.IDLE));
        this.greetingBusy = LineCodec.greetingHead(identity.withState(ServiceIdentity.State.BUSY));
        this.local = claim.localSocket() == null
                ? null
                : LocalDoor.open(
                        this,
                        dispatcher,
                        sweeper,
                        new Greeting(),
                        claim.localSocket(),
                        firstLineMillis,
                        ioMillis,
                        b.maxConnections);
        if (local != null) sweeper.watch(local);
    }

    /** The greeting that starts every answer on the same-user socket, with the state of the moment. */
    private final class Greeting implements Exchange.Greeting {
        @Override
        public byte[] line(long answerLength) {
            return LineCodec.greeting(
                    dispatcher.busy() ? greetingBusy : greetingIdle, answerLength, identity.version());
        }
    }

    /**
     * The same-user Unix-domain socket this resident listens on, or {@code null} when it serves TCP only
     * (disabled, not supported here, or its directory could not be made private).
     */
    public java.nio.file.Path localSocket() {
        return local == null ? null : local.path();
    }

    /** A builder for a server of {@code app}. */
    public static Builder builder(SingleInstance app) {
        return new Builder(app);
    }

    /** Who this resident is, with its current state. */
    public ServiceIdentity identity() {
        return identity.withState(dispatcher.busy() ? ServiceIdentity.State.BUSY : ServiceIdentity.State.IDLE);
    }

    /** The port it serves on. */
    public int port() {
        return identity.port();
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitClose() throws InterruptedException {
        closedLatch.await();
    }

    /** {@code HELLO <json>\n}: the identity with its proof of {@code nonce}, bound to this endpoint. */
    byte[] helloAnswer(String nonce) {
        ServiceIdentity now = identity();
        java.time.Instant at = app.clock().instant();
        HelloJson json = helloJson;
        if (json == null || json.second != at.getEpochSecond() || json.state != now.state()) {
            String full = Json.write(now.toMap(at)); // {..."protocol":2}; the proof goes before the brace
            json = new HelloJson(at.getEpochSecond(), now.state(), full.substring(0, full.length() - 1));
            helloJson = json;
        }
        String proof = app.registry().token().proof(nonce, now);
        return (LineCodec.HELLO + " " + json.head + ",\"proof\":\"" + proof + "\"}\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The identity's JSON without its closing brace, for one second and state: uptime changes each second. */
    private record HelloJson(long second, ServiceIdentity.State state, String head) {}

    /** Why {@code presented} may not act, or {@code null} when it is this user's token. */
    String checkToken(String presented) {
        try {
            if (app.registry().token().matches(presented)) return null;
        } catch (RuntimeException e) {
            return "cannot check the token: " + e.getMessage();
        }
        return "unauthorized: wrong token. Use the token of the user running the resident"
                + " (the file 'token' in its solo home).";
    }

    /**
     * Runs a connection that may act on a worker thread: {@code rest} holds what the front door read
     * past the line it handled; {@code verbLine} is the raw ADR-007 request, or {@code null} after
     * {@code AUTH}. {@code false} when every worker is busy.
     */
    boolean handOff(SocketChannel channel, byte[] rest, String verbLine) {
        try {
            workers.execute(new Work(channel, rest, verbLine));
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** One handed-off connection. */
    private final class Work implements Runnable {
        private final SocketChannel channel;
        private final byte[] rest;
        private final String verbLine;

        Work(SocketChannel channel, byte[] rest, String verbLine) {
            this.channel = channel;
            this.rest = rest;
            this.verbLine = verbLine;
        }

        @Override
        public void run() {
            Exchange c = new Exchange(channel, sweeper, null, ioMillis);
            InputStream in = null;
            try {
                channel.configureBlocking(true);
                in = new ChannelInput(channel, rest);
                if (closed.get()) {
                    c.respond(LineCodec.error(LineCodec.SHUTTING_DOWN_MESSAGE));
                } else if (verbLine == null) {
                    dispatcher.readVerbAndServe(c, in);
                } else {
                    dispatcher.serve(c, in, verbLine);
                }
            } catch (IOException e) {
                // the client left, or a deadline closed the socket: nothing to answer
            } finally {
                c.lingeringClose(in, closed.get());
            }
        }
    }

    private void start() {
        front.start();
    }

    /**
     * Stops the server; see the class comment for the order. Idempotent; waits at most about three
     * seconds for handler threads and logs a warning if they do not end.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        try {
            if (local != null) local.close(); // while the port is still ours, so nobody has bound the path anew
            front.close();
            claim.registry().remove(claim.record());
            for (Exchange c : sweeper.active()) {
                c.respondIfIdle(LineCodec.error(LineCodec.SHUTTING_DOWN_MESSAGE));
                c.close();
            }
            workers.shutdownNow();
            sweeper.shutdown();
            try {
                if (local != null) local.awaitThreads(3000);
                if (!workers.awaitTermination(3, TimeUnit.SECONDS)) {
                    LOG.log(
                            Level.WARNING,
                            identity.service() + ": " + workers.getActiveCount()
                                    + " handler thread(s) still running 3 s after shutdown; they ignore interrupts");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } finally {
            closedLatch.countDown();
        }
    }

    /** Daemon threads named {@code prefix1}, {@code prefix2}, ... */
    static final class Numbered implements ThreadFactory {
        private final String prefix;
        private final AtomicInteger n = new AtomicInteger();

        Numbered(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
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
        private int maxIdlePerUser = 64;
        private int maxIdle = 256;
        private PeerUsers peerUsers;

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

        /** How many connections that may act are handled at once; default 128. */
        public Builder maxConnections(int n) {
            if (n < 1) throw new IllegalArgumentException("maxConnections must be >= 1, got " + n);
            this.maxConnections = n;
            return this;
        }

        /**
         * How many connections of one OS user may wait at the door (before their first line, or between
         * {@code HELLO} and {@code AUTH}) where the OS tells users apart; default 64. Beyond it the
         * user's oldest waiting connection is closed. The resident's own user, and everybody together
         * where the OS cannot tell users apart, may have four times this many.
         */
        public Builder maxIdlePerUser(int n) {
            if (n < 1) throw new IllegalArgumentException("maxIdlePerUser must be >= 1, got " + n);
            this.maxIdlePerUser = n;
            this.maxIdle = 4 * n;
            return this;
        }

        /** Who owns the peer of a TCP connection; default the kernel's answer. For tests. */
        Builder peerUsers(PeerUsers peers) {
            this.peerUsers = Objects.requireNonNull(peers, "peers");
            return this;
        }

        /** Starts serving on the claimed sockets; the server owns them from now on. */
        public LineServer start(ClaimResult.Claimed claimed) {
            Objects.requireNonNull(claimed, "claimed");
            if (!claimed.identity().service().equals(app.service())) {
                throw new IllegalArgumentException(
                        "the claim is for " + claimed.identity().service() + ", not " + app.service());
            }
            LineServer server;
            try {
                server = new LineServer(this, claimed);
            } catch (IOException e) {
                throw new SoloException(
                        "cannot serve on port " + claimed.port() + " (" + e.getMessage()
                                + "). Check the process's limit of open files (ulimit -n).",
                        e);
            }
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
