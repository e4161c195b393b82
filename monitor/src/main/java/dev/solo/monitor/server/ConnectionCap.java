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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.eclipse.jetty.io.Connection;

/**
 * Caps the TCP connections another OS user holds open to the monitor. Loopback is open to every local
 * user: without a cap, one of them held 18,000 idle connections (re-opened as the 60 s idle timeout closed
 * them) until the monitor ran out of file descriptors; {@code /health}, the hooks and {@code solo monitor
 * status} then failed, and status named the monitor a foreign program.
 *
 * <p>Nothing is looked up while fewer than {@link #LOOK_ABOVE} connections are open (the usual case costs
 * a map entry per connection). Above that, each new connection has the kernel's socket tables read once
 * ({@link PeerUser#owners}) and every other user's connections beyond {@link #PER_OTHER_USER} are closed,
 * oldest first. The user's own connections, and any whose owner the kernel does not tell, are never
 * closed. Where the OS does not tell owners (not Linux) nothing is capped. Registered on each TCP connector
 * as a Jetty bean; thread-safe.
 */
final class ConnectionCap implements Connection.Listener {
    /** Open connections below which nobody's owner is looked up. */
    static final int LOOK_ABOVE = 128;

    /** Connections another OS user may hold open at once; a prober needs one. */
    static final int PER_OTHER_USER = 32;

    private final Map<Connection, Long> open = new ConcurrentHashMap<>();
    private final ReentrantLock sweeping = new ReentrantLock();
    private final AtomicBoolean again = new AtomicBoolean();
    private final OptionalInt self;
    private final LongSupplier nanos;

    ConnectionCap() {
        this(PeerUser.self(), System::nanoTime);
    }

    ConnectionCap(OptionalInt self, LongSupplier nanos) {
        this.self = self;
        this.nanos = nanos;
    }

    /**
     * Connections open from several threads at once: one sweeps, the others only mark that it must look
     * again, and the sweeper does until no mark is left (checked again after it lets go, so none is lost).
     */
    @Override
    public void onOpened(Connection connection) {
        open.put(connection, nanos.getAsLong());
        if (self.isEmpty() || open.size() <= LOOK_ABOVE) return;
        again.set(true);
        while (again.get() && sweeping.tryLock()) {
            try {
                while (again.getAndSet(false)) sweep();
            } finally {
                sweeping.unlock();
            }
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

    private void sweep() {
        List<Map.Entry<Connection, Long>> all = new ArrayList<>(open.entrySet());
        List<InetSocketAddress> locals = new ArrayList<>(all.size());
        List<InetSocketAddress> peers = new ArrayList<>(all.size());
        for (Map.Entry<Connection, Long> e : all) {
            locals.add(address(e.getKey().getEndPoint().getLocalSocketAddress()));
            peers.add(address(e.getKey().getEndPoint().getRemoteSocketAddress()));
        }
        int[] owners = PeerUser.owners(locals, peers);
        Map<Integer, List<Map.Entry<Connection, Long>>> others = new HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            if (owners[i] >= 0 && owners[i] != self.getAsInt()) {
                others.computeIfAbsent(owners[i], u -> new ArrayList<>()).add(all.get(i));
            }
        }
        for (List<Map.Entry<Connection, Long>> theirs : others.values()) {
            if (theirs.size() <= PER_OTHER_USER) continue;
            theirs.sort(Comparator.comparingLong(Map.Entry::getValue));
            for (Map.Entry<Connection, Long> e : theirs.subList(0, theirs.size() - PER_OTHER_USER)) {
                open.remove(e.getKey());
                e.getKey().getEndPoint().close();
            }
        }
    }

    private static InetSocketAddress address(java.net.SocketAddress a) {
        return a instanceof InetSocketAddress i ? i : null;
    }
}
