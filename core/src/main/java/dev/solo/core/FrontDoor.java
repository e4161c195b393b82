package dev.solo.core;

import dev.solo.core.internal.LineCodec;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
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
 * <p>Confined to its thread, except {@link #close()}. The fields its {@link DoorConnection}s use are
 * package-private and touched on that thread only.
 */
final class FrontDoor implements Runnable {
    private static final System.Logger LOG = System.getLogger(LineServer.class.getName());
    /** A connection whose OS user has not been looked up yet. */
    static final int UNRESOLVED = -2;
    /** How long a connection of the resident's own user may wait at the door before a cap closes it. */
    private static final long OWN_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    final LineServer server;
    final Dispatcher dispatcher;
    private final List<ServerSocketChannel> listeners;
    private final Selector selector;
    final PeerUsers peers;
    final int firstLineMillis;
    final int ioMillis;
    private final int maxIdlePerUser;
    private final int maxIdle;
    private final long tickNanos;
    /** Every connection at the door, oldest first. */
    final LinkedHashSet<DoorConnection> held = new LinkedHashSet<>();

    final List<DoorConnection> handOffs = new ArrayList<>();
    final List<DoorConnection> awaitingUser = new ArrayList<>();
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
                        ((DoorConnection) key.attachment()).ready(key);
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
                DoorConnection p = new DoorConnection(
                        this, ch, (InetSocketAddress) ch.getRemoteAddress(), (InetSocketAddress) ch.getLocalAddress());
                p.key = ch.register(selector, SelectionKey.OP_READ, p);
                held.add(p);
                // Most clients sent their line with the connect: answer it now, not a select round later.
                p.ready(p.key);
            } catch (IOException e) {
                DoorConnection.closeQuietly(ch);
            }
        }
    }

    /** Raw ADR-007 requests wait here for one look at the kernel's table, for all of them at once. */
    private void resolveRawRequests() {
        if (awaitingUser.isEmpty()) return;
        resolve(awaitingUser);
        for (DoorConnection p : awaitingUser) {
            if (p.phase != DoorConnection.Phase.AWAIT_USER) continue;
            if (p.uid == peers.self() && p.uid >= 0) {
                p.handOff(p.rawLine);
            } else {
                p.reply(LineCodec.error(p.rawRefusal), DoorConnection.After.LINGER);
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
        List<DoorConnection> unknown = new ArrayList<>();
        for (DoorConnection p : held) if (p.uid == UNRESOLVED) unknown.add(p);
        resolve(unknown);
        Map<Integer, Integer> count = new HashMap<>();
        for (DoorConnection p : held) count.merge(p.uid, 1, Integer::sum);
        List<DoorConnection> evict = new ArrayList<>();
        long now = System.nanoTime();
        for (DoorConnection p : held) {
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
        for (DoorConnection p : evict) {
            p.refuse(tooMany("from your OS user", p.uid == peers.self() ? maxIdle : maxIdlePerUser));
        }
    }

    private static String tooMany(String where, int cap) {
        return "too many connections are waiting " + where + " (at most " + cap + "); close some and retry";
    }

    private void resolve(List<DoorConnection> ps) {
        List<InetSocketAddress> remotes = new ArrayList<>();
        List<InetSocketAddress> locals = new ArrayList<>();
        List<DoorConnection> asked = new ArrayList<>();
        for (DoorConnection p : ps) {
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
        for (DoorConnection p : handOffs) {
            byte[] rest = Arrays.copyOf(p.buf, p.len);
            if (!server.handOff(p.ch, rest, p.verbLine)) {
                DoorConnection.writeQuietly(p.ch, LineCodec.error(LineCodec.BUSY_MESSAGE));
                DoorConnection.closeQuietly(p.ch);
            }
        }
        handOffs.clear();
    }

    private void sweep(long now) {
        List<DoorConnection> late = new ArrayList<>();
        for (DoorConnection p : held) if (now - p.deadline > 0) late.add(p);
        for (DoorConnection p : late) p.timedOut();
    }

    private void shutDown() {
        for (ServerSocketChannel l : listeners) DoorConnection.closeQuietly(l);
        for (DoorConnection p : held) {
            DoorConnection.writeQuietly(p.ch, LineCodec.error(LineCodec.SHUTTING_DOWN_MESSAGE));
            DoorConnection.closeQuietly(p.ch);
        }
        held.clear();
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
