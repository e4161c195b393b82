package dev.solo.core;

import dev.solo.core.internal.LineCodec;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The TCP side of a {@link LineServer}: one selector thread ({@code solo-<service>-front}) that accepts
 * every connection, reads first lines, answers {@code PING} and {@code HELLO} itself and checks {@code
 * AUTH}. Only connections that may act reach a worker thread: authenticated ones, and raw ADR-007
 * verbs of the resident's own OS user. So no number of waiting connections makes {@code PING} or
 * {@code HELLO} wait for a thread, and an unauthenticated peer never holds one.
 *
 * <p><b>Caps.</b> Connections still at the door are capped per OS user where {@link PeerUsers} can tell
 * ({@code maxIdlePerUser}, default 64, for every user but the resident's own, which gets {@code
 * maxIdle}, default 256, and 100 ms of grace per connection): beyond it that user's oldest connections
 * are closed, so another user's flood never closes or delays ours. Where the OS cannot tell, one cap
 * covers everybody ({@code maxIdle}) and the oldest connection is closed. Each connection's first line
 * (and the {@code AUTH} after a {@code HELLO}) has the first-line deadline.
 *
 * <p>Confined to its thread, except {@link #close()}.
 */
final class FrontDoor implements Runnable {
    private static final System.Logger LOG = System.getLogger(LineServer.class.getName());
    private static final int UNRESOLVED = -2;
    /** How long a connection of the resident's own user may wait at the door before a cap closes it. */
    private static final long OWN_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final LineServer server;
    private final Dispatcher dispatcher;
    private final List<ServerSocketChannel> listeners;
    private final Selector selector;
    private final PeerUsers peers;
    private final int firstLineMillis;
    private final int ioMillis;
    private final int maxIdlePerUser;
    private final int maxIdle;
    private final long tickNanos;
    /** Every connection at the door, oldest first. */
    private final LinkedHashSet<Pending> held = new LinkedHashSet<>();

    private final List<Pending> handOffs = new ArrayList<>();
    private final List<Pending> awaitingUser = new ArrayList<>();
    private final Thread thread;
    private volatile boolean closing;
    private long nextSweep;
    private long acceptPausedUntil;

    FrontDoor(
            LineServer server,
            Dispatcher dispatcher,
            List<ServerSocketChannel> listeners,
            PeerUsers peers,
            int firstLineMillis,
            int ioMillis,
            int maxIdlePerUser,
            int maxIdle)
            throws IOException {
        this.server = server;
        this.dispatcher = dispatcher;
        this.listeners = listeners;
        this.peers = peers;
        this.firstLineMillis = firstLineMillis;
        this.ioMillis = ioMillis;
        this.maxIdlePerUser = maxIdlePerUser;
        this.maxIdle = maxIdle;
        this.tickNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(5, Math.min(250, firstLineMillis / 8)));
        this.selector = Selector.open();
        for (ServerSocketChannel l : listeners) {
            l.configureBlocking(false);
            l.register(selector, SelectionKey.OP_ACCEPT);
        }
        this.thread = new Thread(this, "solo-" + server.identity().service() + "-front");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Stops accepting, answers every connection at the door {@code shutting down}; waits up to 2 s. */
    void close() {
        closing = true;
        selector.wakeup();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        try {
            while (!closing) {
                if (selector.selectedKeys().isEmpty()) selector.select(TimeUnit.NANOSECONDS.toMillis(tickNanos) + 1);
                if (closing) break;
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    if (!key.isValid()) continue;
                    if (key.attachment() == null) {
                        acceptAll((ServerSocketChannel) key.channel());
                    } else {
                        ((Pending) key.attachment()).ready(key);
                    }
                }
                resolveRawRequests();
                enforceCaps();
                handOff();
                long now = System.nanoTime();
                if (now - nextSweep >= 0) {
                    nextSweep = now + tickNanos;
                    sweep(now);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!closing) LOG.log(Level.ERROR, "the front door of port " + server.port() + " failed; closing it", e);
        } finally {
            shutDown();
        }
    }

    private void acceptAll(ServerSocketChannel listener) {
        if (System.nanoTime() - acceptPausedUntil < 0) return;
        while (true) {
            SocketChannel ch;
            try {
                ch = listener.accept();
                if (ch == null) return;
            } catch (IOException e) {
                // Out of file descriptors, most likely: make room, and do not spin on a ready listener.
                LOG.log(Level.WARNING, "accept failed on port " + server.port() + ": " + e.getMessage());
                if (!held.isEmpty()) held.iterator().next().refuse("the resident is out of connections");
                acceptPausedUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
                return;
            }
            try {
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                Pending p = new Pending(
                        ch, (InetSocketAddress) ch.getRemoteAddress(), (InetSocketAddress) ch.getLocalAddress());
                p.key = ch.register(selector, SelectionKey.OP_READ, p);
                held.add(p);
                // Most clients sent their line with the connect: answer it now, not a select round later.
                p.ready(p.key);
            } catch (IOException e) {
                closeQuietly(ch);
            }
        }
    }

    /** Raw ADR-007 requests wait here for one look at the kernel's table, for all of them at once. */
    private void resolveRawRequests() {
        if (awaitingUser.isEmpty()) return;
        resolve(awaitingUser);
        for (Pending p : awaitingUser) {
            if (p.phase != Phase.AWAIT_USER) continue;
            if (p.uid == peers.self() && p.uid >= 0) {
                p.handOff(p.rawLine);
            } else {
                p.reply(LineCodec.error(p.rawRefusal), After.LINGER);
            }
        }
        awaitingUser.clear();
    }

    /** Closes the oldest connections of any user over the cap (or of everybody, where users are unknown). */
    private void enforceCaps() {
        if (!peers.available()) {
            while (held.size() > maxIdle) held.iterator().next().refuse(tooMany("on this resident", maxIdle));
            return;
        }
        if (held.size() <= maxIdlePerUser) return;
        List<Pending> unknown = new ArrayList<>();
        for (Pending p : held) if (p.uid == UNRESOLVED) unknown.add(p);
        resolve(unknown);
        Map<Integer, Integer> count = new HashMap<>();
        for (Pending p : held) count.merge(p.uid, 1, Integer::sum);
        List<Pending> evict = new ArrayList<>();
        long now = System.nanoTime();
        for (Pending p : held) {
            int c = count.get(p.uid);
            // The resident's own user may have a burst of its own clients (32 starting at once on a busy
            // machine) that send their lines a moment later: it gets the larger cap, and only connections
            // that have waited a while count. Anybody else is over the cap at once.
            boolean own = p.uid == peers.self();
            int cap = own ? maxIdle : maxIdlePerUser;
            if (c > cap && !(own && now - p.since < OWN_GRACE_NANOS)) {
                evict.add(p);
                count.put(p.uid, c - 1);
            }
        }
        for (Pending p : evict) {
            p.refuse(tooMany("from your OS user", p.uid == peers.self() ? maxIdle : maxIdlePerUser));
        }
    }

    private static String tooMany(String where, int cap) {
        return "too many connections are waiting " + where + " (at most " + cap + "); close some and retry";
    }

    private void resolve(List<Pending> ps) {
        List<InetSocketAddress> remotes = new ArrayList<>();
        List<InetSocketAddress> locals = new ArrayList<>();
        List<Pending> asked = new ArrayList<>();
        for (Pending p : ps) {
            if (p.uid != UNRESOLVED) continue;
            remotes.add(p.remote);
            locals.add(p.local);
            asked.add(p);
        }
        if (asked.isEmpty()) return;
        int[] uids = peers.owners(remotes, locals);
        for (int i = 0; i < uids.length; i++) asked.get(i).uid = uids[i];
    }

    /** Gives the connections that may act to the workers, once their keys are off the selector. */
    private void handOff() throws IOException {
        if (handOffs.isEmpty()) return;
        selector.selectNow(); // deregisters the cancelled keys, so the channels may block again
        for (Pending p : handOffs) {
            byte[] rest = java.util.Arrays.copyOf(p.buf, p.len);
            if (!server.handOff(p.ch, rest, p.verbLine)) {
                writeQuietly(p.ch, LineCodec.error(LineCodec.BUSY_MESSAGE));
                closeQuietly(p.ch);
            }
        }
        handOffs.clear();
    }

    private void sweep(long now) {
        List<Pending> late = new ArrayList<>();
        for (Pending p : held) if (now - p.deadline > 0) late.add(p);
        for (Pending p : late) p.timedOut();
    }

    private void shutDown() {
        for (ServerSocketChannel l : listeners) closeQuietly(l);
        for (Pending p : held) {
            writeQuietly(p.ch, LineCodec.error(LineCodec.SHUTTING_DOWN_MESSAGE));
            closeQuietly(p.ch);
        }
        held.clear();
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }

    private static void writeQuietly(SocketChannel ch, byte[] bytes) {
        try {
            ch.write(ByteBuffer.wrap(bytes)); // best effort: a short answer fits any socket buffer
        } catch (IOException | RuntimeException ignored) {
            // the client left
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private enum Phase {
        FIRST,
        AFTER_HELLO,
        AWAIT_USER,
        WRITING,
        LINGER,
        HANDED
    }

    /** What follows a reply once it is written. */
    private enum After {
        CLOSE,
        LINGER,
        AFTER_HELLO
    }

    /** One connection at the door; all state is confined to the selector thread. */
    private final class Pending {
        final SocketChannel ch;
        final InetSocketAddress remote;
        final InetSocketAddress local;
        SelectionKey key;
        Phase phase = Phase.FIRST;
        final long since = System.nanoTime();
        long deadline;
        byte[] buf = new byte[256];
        int len;
        int scanned;
        int uid = UNRESOLVED;
        String rawLine;
        String rawRefusal;
        String verbLine;
        ByteBuffer out;
        After after;
        long lingered;

        Pending(SocketChannel ch, InetSocketAddress remote, InetSocketAddress local) {
            this.ch = ch;
            this.remote = remote;
            this.local = local;
            this.deadline = since + TimeUnit.MILLISECONDS.toNanos(firstLineMillis);
        }

        /** Handles readiness; also called right after accept, when no readiness is known yet. */
        void ready(SelectionKey k) {
            try {
                if (!k.isValid()) return;
                if (out != null && (k.readyOps() & SelectionKey.OP_WRITE) != 0) flush();
                if (k.isValid() && (k.interestOps() & SelectionKey.OP_READ) != 0) read();
            } catch (IOException e) {
                drop();
            }
        }

        private void read() throws IOException {
            if (phase == Phase.LINGER) {
                int r = ch.read(ByteBuffer.wrap(buf));
                if (r < 0 || (lingered += r) > Exchange.LINGER_BYTES) drop();
                return;
            }
            if (len == buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.min(buf.length * 2, LineCodec.MAX_LINE + 2));
            }
            int r = ch.read(ByteBuffer.wrap(buf, len, buf.length - len));
            if (r < 0) {
                if (len == 0) {
                    drop();
                } else {
                    reply(
                            LineCodec.error(
                                    "malformed line: the stream ended inside a line (no \\n after " + len + " bytes)"),
                            After.CLOSE);
                }
                return;
            }
            len += r;
            lines();
        }

        /** Handles every complete line in the buffer while the connection still reads lines. */
        private void lines() {
            while (phase == Phase.FIRST || phase == Phase.AFTER_HELLO) {
                int nl = -1;
                for (int i = scanned; i < len; i++) {
                    byte b = buf[i];
                    if (b == '\n') {
                        nl = i;
                        break;
                    }
                    if (b == 0) {
                        reply(LineCodec.error("malformed line: NUL byte in line"), After.LINGER);
                        return;
                    }
                }
                if (nl < 0) {
                    scanned = len;
                    if (len >= LineCodec.MAX_LINE + 2) {
                        reply(LineCodec.error("line longer than " + LineCodec.MAX_LINE + " bytes"), After.LINGER);
                    }
                    return;
                }
                int n = nl > 0 && buf[nl - 1] == '\r' ? nl - 1 : nl;
                String line;
                try {
                    if (n > LineCodec.MAX_LINE) {
                        reply(LineCodec.error("line longer than " + LineCodec.MAX_LINE + " bytes"), After.LINGER);
                        return;
                    }
                    line = LineCodec.decode(buf, 0, n);
                } catch (LineCodec.MalformedLineException e) {
                    reply(LineCodec.error("malformed line: " + e.getMessage()), After.LINGER);
                    return;
                }
                System.arraycopy(buf, nl + 1, buf, 0, len - nl - 1);
                len -= nl + 1;
                scanned = 0;
                handle(line);
            }
        }

        private void handle(String line) {
            LineCodec.First first = LineCodec.parseFirst(line);
            if (phase == Phase.AFTER_HELLO && !(first instanceof LineCodec.Auth)) {
                reply(
                        LineCodec.error("after HELLO only AUTH <token> may follow, got " + LineCodec.abbreviate(line)),
                        After.LINGER);
            } else if (first instanceof LineCodec.Ping) {
                reply((LineCodec.PONG + "\n").getBytes(StandardCharsets.US_ASCII), After.CLOSE);
            } else if (first instanceof LineCodec.Hello hello) {
                byte[] answer;
                try {
                    answer = server.helloAnswer(hello.nonce());
                } catch (RuntimeException e) {
                    reply(LineCodec.error(String.valueOf(e.getMessage())), After.LINGER);
                    return;
                }
                // A client that trusts the proof may go on with AUTH on this connection.
                reply(answer, After.AFTER_HELLO);
            } else if (first instanceof LineCodec.Auth auth) {
                String refusal = server.checkToken(auth.token());
                if (refusal == null) {
                    handOff(null);
                } else {
                    reply(LineCodec.error(refusal), After.LINGER);
                }
            } else {
                LineCodec.Rejected r = (LineCodec.Rejected) first;
                if (r.verb() != null && peers.available() && dispatcher.rawAllowed(r.verb())) {
                    phase = Phase.AWAIT_USER; // one look at the kernel's table after this round
                    rawLine = line;
                    rawRefusal = r.reason();
                    key.interestOps(0);
                    awaitingUser.add(this);
                } else {
                    reply(LineCodec.error(r.reason()), After.LINGER);
                }
            }
        }

        void handOff(String verbLine) {
            this.verbLine = verbLine;
            phase = Phase.HANDED;
            held.remove(this);
            key.cancel();
            handOffs.add(this);
        }

        void reply(byte[] bytes, After next) {
            out = ByteBuffer.wrap(bytes);
            after = next;
            phase = Phase.WRITING;
            deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ioMillis);
            try {
                flush();
            } catch (IOException e) {
                drop();
            }
        }

        private void flush() throws IOException {
            if (out == null) return;
            ch.write(out);
            if (out.hasRemaining()) {
                key.interestOps(SelectionKey.OP_WRITE);
                return;
            }
            out = null;
            long now = System.nanoTime();
            switch (after) {
                case CLOSE -> drop();
                case LINGER -> {
                    // Read what the client still sends before closing: a close with unread input resets
                    // the connection, and the reset can destroy the answer (see Exchange.lingeringClose).
                    ch.shutdownOutput();
                    phase = Phase.LINGER;
                    lingered = len;
                    deadline = now + TimeUnit.MILLISECONDS.toNanos(Exchange.LINGER_MILLIS);
                    key.interestOps(SelectionKey.OP_READ);
                }
                case AFTER_HELLO -> {
                    phase = Phase.AFTER_HELLO;
                    deadline = now + TimeUnit.MILLISECONDS.toNanos(firstLineMillis);
                    held.remove(this); // to the back: the order stays oldest deadline first
                    held.add(this);
                    key.interestOps(SelectionKey.OP_READ);
                    lines();
                }
            }
        }

        void timedOut() {
            if (phase == Phase.FIRST || phase == Phase.AWAIT_USER) {
                writeQuietly(
                        ch, LineCodec.error("no request line within " + firstLineMillis + " ms; lines end with \\n"));
            } else if (phase == Phase.AFTER_HELLO) {
                writeQuietly(
                        ch,
                        LineCodec.error(
                                "no AUTH line after HELLO within " + firstLineMillis + " ms; lines end with \\n"));
            }
            drop();
        }

        /** Closes this connection with a short {@code ERROR}, without waiting: it is over a cap. */
        void refuse(String message) {
            writeQuietly(ch, LineCodec.error(message));
            drop();
        }

        void drop() {
            held.remove(this);
            if (key != null) key.cancel();
            closeQuietly(ch);
        }
    }
}
