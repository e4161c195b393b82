package dev.solo.monitor.server;

import dev.solo.monitor.security.PeerUser;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;
import org.eclipse.jetty.io.Connection;

/**
 * Caps the TCP connections another OS user holds open to the monitor. Loopback is open to every local
 * user: without a cap, one of them held 18,000 idle connections (re-opened as the 60 s idle timeout closed
 * them) until the monitor ran out of file descriptors; {@code /health}, the hooks and {@code solo monitor
 * status} then failed, and status named the monitor a foreign program.
 *
 * <p>Nothing is looked up while fewer than {@link #LOOK_ABOVE} connections are open (the usual case costs
 * a map entry per connection). Above that, a new connection asks a worker for a sweep and returns: the
 * selector thread that accepted it (the one that serves every hook) never reads the kernel's tables, which
 * with a few thousand sockets takes milliseconds (docs/benchmarks.md). A sweep reads the tables once for
 * every connection whose owner is not known yet ({@link PeerUser#owners}; an owner, once known, is kept),
 * and closes every other user's connections beyond {@link #PER_OTHER_USER}, oldest first. Connections
 * that open while a sweep runs wait for the next one, so a burst costs one or two reads, not one per
 * connection. Should more than {@link #MAX_UNSWEPT} open before a sweep begins (a flood faster than the
 * worker), the opening thread sweeps itself, which slows accepting down as the cap did before. The user's
 * own connections, and any whose owner the kernel does not tell, are never closed. Where the OS does not
 * tell owners (not Linux) nothing is capped. Registered on each TCP connector as a Jetty bean; thread-safe.
 */
final class ConnectionCap implements Connection.Listener {
    /** Open connections below which nobody's owner is looked up. */
    static final int LOOK_ABOVE = 128;

    /** Connections another OS user may hold open at once; a prober needs one. */
    static final int PER_OTHER_USER = 32;

    /** Connections opened since the last sweep began, beyond which the opening thread sweeps itself. */
    static final int MAX_UNSWEPT = 1024;

    private final Map<Connection, Seen> open = new ConcurrentHashMap<>();
    private final ReentrantLock sweeping = new ReentrantLock();
    private final AtomicBoolean pending = new AtomicBoolean();
    private final AtomicInteger unswept = new AtomicInteger();
    private final OptionalInt self;
    private final LongSupplier nanos;
    private final Executor worker;
    private final BiFunction<List<InetSocketAddress>, List<InetSocketAddress>, int[]> owners;

    /** When a connection opened, and the uid of its peer once the kernel told it (-1 until then). */
    private static final class Seen {
        final long opened;
        volatile int owner = -1;

        Seen(long opened) {
            this.opened = opened;
        }
    }

    /** The cap of a monitor whose sweeps run on {@code worker} (Jetty's thread pool). */
    ConnectionCap(Executor worker) {
        this(PeerUser.self(), System::nanoTime, worker, PeerUser::owners);
    }

    /**
     * @param owners the uids of the peers of connections ({@code locals}, {@code peers}), -1 where unknown;
     *     as {@link PeerUser#owners}
     */
    ConnectionCap(
            OptionalInt self,
            LongSupplier nanos,
            Executor worker,
            BiFunction<List<InetSocketAddress>, List<InetSocketAddress>, int[]> owners) {
        this.self = self;
        this.nanos = nanos;
        this.worker = worker;
        this.owners = owners;
    }

    @Override
    public void onOpened(Connection connection) {
        open.put(connection, new Seen(nanos.getAsLong()));
        if (self.isEmpty() || open.size() <= LOOK_ABOVE) return;
        if (unswept.incrementAndGet() > MAX_UNSWEPT) {
            sweep(); // the worker is behind: make the flood wait for it here
            return;
        }
        if (pending.getAndSet(true)) return; // a sweep is asked for already and will see this one
        try {
            worker.execute(this::sweep);
        } catch (RejectedExecutionException stopping) {
            pending.set(false);
        }
    }

    @Override
    public void onClosed(Connection connection) {
        open.remove(connection);
    }

    /** How many connections are open now. */
    int open() {
        return open.size();
    }

    /**
     * One at a time. The marks are cleared before the connections are listed: one that opens after that
     * asks for another sweep, one that opened before is in the list.
     */
    private void sweep() {
        sweeping.lock();
        try {
            pending.set(false);
            unswept.set(0);
            List<Map.Entry<Connection, Seen>> all = new ArrayList<>(open.entrySet());
            lookUp(all);
            Map<Integer, List<Map.Entry<Connection, Seen>>> others = new HashMap<>();
            for (Map.Entry<Connection, Seen> e : all) {
                int owner = e.getValue().owner;
                if (owner >= 0 && owner != self.getAsInt())
                    others.computeIfAbsent(owner, u -> new ArrayList<>()).add(e);
            }
            for (List<Map.Entry<Connection, Seen>> theirs : others.values()) {
                if (theirs.size() <= PER_OTHER_USER) continue;
                theirs.sort(Comparator.comparingLong(e -> e.getValue().opened));
                for (Map.Entry<Connection, Seen> e : theirs.subList(0, theirs.size() - PER_OTHER_USER)) {
                    open.remove(e.getKey());
                    e.getKey().getEndPoint().close();
                }
            }
        } finally {
            sweeping.unlock();
        }
    }

    /** Asks the kernel, in one read of its tables, for the owners of the connections not known yet. */
    private void lookUp(List<Map.Entry<Connection, Seen>> all) {
        List<Seen> unknown = new ArrayList<>();
        List<InetSocketAddress> locals = new ArrayList<>();
        List<InetSocketAddress> peers = new ArrayList<>();
        for (Map.Entry<Connection, Seen> e : all) {
            if (e.getValue().owner >= 0) continue;
            unknown.add(e.getValue());
            locals.add(address(e.getKey().getEndPoint().getLocalSocketAddress()));
            peers.add(address(e.getKey().getEndPoint().getRemoteSocketAddress()));
        }
        if (unknown.isEmpty()) return;
        int[] uids = owners.apply(locals, peers);
        for (int i = 0; i < uids.length; i++) unknown.get(i).owner = uids[i];
    }

    private static InetSocketAddress address(java.net.SocketAddress a) {
        return a instanceof InetSocketAddress i ? i : null;
    }
}
