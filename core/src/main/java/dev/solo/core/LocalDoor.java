package dev.solo.core;

import dev.solo.core.internal.LineCodec;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The same-user Unix-domain socket of a {@link LineServer}: {@code <socket dir>/<service>...sock}, mode
 * 0600 in a 0700 directory of the user, so the kernel refuses every other user's {@code connect}. Every
 * request is served without {@code AUTH}; every answer starts with the greeting line ({@link
 * LineCodec#greeting}).
 *
 * <p><b>Threads.</b> ({@code solo-<service>-local-N}) A thread accepts one connection and serves it
 * itself, so a request never waits for a hand-off to another thread, and normally one thread does
 * it all, as a plain echo server would. When the only acceptor has been serving for more than {@link
 * #STANDBY_AFTER_NANOS} (a handler that waits for its user), the sweeper starts another acceptor, so a
 * {@code PING} or a second request waits at most that long plus a sweeper tick. A thread that finds
 * another one accepting after its request ends, so the threads shrink back to one (two acceptors would
 * hand the accept lock to each other on every connection, a thread wake-up each time). At most {@code
 * maxConnections} requests run at once; beyond that a connection is answered {@code Busy, please
 * retry}.
 */
final class LocalDoor {
    private static final System.Logger LOG = System.getLogger(LineServer.class.getName());
    private static final byte[] NOTHING = new byte[0];
    /** How long the only acceptor may be busy with one connection before another one is started. */
    static final long STANDBY_AFTER_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(5);

    private final LineServer server;
    private final Dispatcher dispatcher;
    private final Sweeper sweeper;
    private final Exchange.Greeting greeting;
    private final ServerSocketChannel channel;
    private final Path path;
    private final int firstLineMillis;
    private final int ioMillis;
    private final int maxConnections;
    private final LineServer.Numbered threads;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    /** When the last waiting acceptor took a connection ({@code System.nanoTime()}). */
    private volatile long nobodyAcceptsSince;

    private final Set<Thread> alive = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private LocalDoor(
            LineServer server,
            Dispatcher dispatcher,
            Sweeper sweeper,
            Exchange.Greeting greeting,
            ServerSocketChannel channel,
            Path path,
            int firstLineMillis,
            int ioMillis,
            int maxConnections) {
        this.server = server;
        this.dispatcher = dispatcher;
        this.sweeper = sweeper;
        this.greeting = greeting;
        this.channel = channel;
        this.path = path;
        this.firstLineMillis = firstLineMillis;
        this.ioMillis = ioMillis;
        this.maxConnections = maxConnections;
        this.threads = new LineServer.Numbered("solo-" + server.identity().service() + "-local-");
    }

    /**
     * Binds {@code path} (which the claim prepared) and starts serving; {@code null}, with a warning, when
     * the socket cannot be made: the resident then serves TCP only.
     */
    static LocalDoor open(
            LineServer server,
            Dispatcher dispatcher,
            Sweeper sweeper,
            Exchange.Greeting greeting,
            Path path,
            int firstLineMillis,
            int ioMillis,
            int maxConnections) {
        ServerSocketChannel ch = null;
        try {
            ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            ch.bind(UnixDomainSocketAddress.of(path), 128);
            if (Files.getFileAttributeView(path, PosixFileAttributeView.class) != null) {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot listen on " + path + " (" + e + "); serving on TCP only");
            closeQuietly(ch);
            return null;
        }
        LocalDoor door = new LocalDoor(
                server, dispatcher, sweeper, greeting, ch, path, firstLineMillis, ioMillis, maxConnections);
        door.spawn();
        return door;
    }

    Path path() {
        return path;
    }

    /**
     * From the sweeper, every tick: starts another acceptor when nobody has been accepting for longer
     * than {@link #STANDBY_AFTER_NANOS} because every thread is busy with a connection.
     */
    void standBy(long now) {
        if (closed || waiting.get() > 0 || alive.size() > maxConnections) return;
        if (now - nobodyAcceptsSince > STANDBY_AFTER_NANOS) {
            nobodyAcceptsSince = now; // one new acceptor per tick at most
            spawn();
        }
    }

    private void spawn() {
        Thread t = threads.newThread(new Acceptor());
        alive.add(t);
        t.start();
    }

    /** One leader-or-follower thread. */
    private final class Acceptor implements Runnable {
        @Override
        public void run() {
            try {
                while (!closed) {
                    waiting.incrementAndGet();
                    SocketChannel ch;
                    try {
                        ch = channel.accept();
                    } catch (ClosedChannelException e) {
                        return;
                    } catch (IOException e) {
                        if (closed) return;
                        LOG.log(Level.WARNING, "accept failed on " + path + ": " + e.getMessage());
                        continue;
                    } finally {
                        if (waiting.decrementAndGet() == 0) nobodyAcceptsSince = System.nanoTime();
                    }
                    serve(ch);
                    if (waiting.get() > 0) return; // another thread accepts: one is enough
                }
            } finally {
                alive.remove(Thread.currentThread());
            }
        }
    }

    private void serve(SocketChannel ch) {
        Exchange c = new Exchange(ch, sweeper, greeting, ioMillis);
        InputStream in = null;
        if (running.incrementAndGet() > maxConnections || closed) {
            c.respond(LineCodec.error(closed ? LineCodec.SHUTTING_DOWN_MESSAGE : LineCodec.BUSY_MESSAGE));
            running.decrementAndGet();
            c.close();
            return;
        }
        try {
            in = new ChannelInput(ch, NOTHING);
            String line = Dispatcher.readLine(c, in, "request line", firstLineMillis);
            long notAfter = 0;
            if (line != null && line.startsWith(LineCodec.EXPIRES + " ")) {
                notAfter = parseMillis(line.substring(LineCodec.EXPIRES.length() + 1));
                line = Dispatcher.readLine(c, in, "request line after EXPIRES", ioMillis);
            }
            if (line != null) handle(c, in, line, notAfter);
        } catch (IOException e) {
            // the client left, or a deadline closed the socket
        } finally {
            running.decrementAndGet();
            c.lingeringClose(in, closed);
        }
    }

    private void handle(Exchange c, InputStream in, String line, long notAfter) throws IOException {
        if (dispatcher.isVerbLine(line)) {
            dispatcher.serve(c, in, line, notAfter); // this user's socket: no AUTH needed
            return;
        }
        LineCodec.First first = LineCodec.parseFirst(line);
        if (first instanceof LineCodec.Ping) {
            c.respond((LineCodec.PONG + "\n").getBytes(StandardCharsets.US_ASCII));
        } else if (first instanceof LineCodec.Hello hello) {
            c.respond(server.helloAnswer(hello.nonce()));
        } else if (first instanceof LineCodec.Auth auth) {
            String refusal = server.checkToken(auth.token());
            if (refusal != null) {
                c.respond(LineCodec.error(refusal));
            } else {
                dispatcher.readVerbAndServe(c, in);
            }
        } else {
            LineCodec.Rejected r = (LineCodec.Rejected) first;
            if (r.verb() != null) {
                dispatcher.serve(c, in, line, notAfter); // this user's socket: no AUTH needed
            } else {
                c.respond(LineCodec.error(r.reason()));
            }
        }
    }

    private static long parseMillis(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Stops accepting and removes the socket file; call while the TCP port is still held. */
    void close() {
        closed = true;
        closeQuietly(channel);
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot remove " + path + ": " + e.getMessage());
        }
    }

    /** Interrupts the threads that still run handlers and waits up to {@code millis} for them all. */
    void awaitThreads(long millis) throws InterruptedException {
        for (Thread t : alive) t.interrupt();
        long end = System.nanoTime() + millis * 1_000_000L;
        for (Thread t : alive) {
            long left = (end - System.nanoTime()) / 1_000_000L;
            if (left > 0) t.join(left);
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
