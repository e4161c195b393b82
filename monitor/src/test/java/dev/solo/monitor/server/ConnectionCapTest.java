package dev.solo.monitor.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.ByteArrayEndPoint;
import org.eclipse.jetty.io.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cap's bookkeeping, on Jetty's in-memory end points: the thread that opens a connection never reads
 * the kernel's tables (a worker does, once per burst), owners once known are not asked again, another
 * user's excess is closed oldest first and the user's own never. The real tables, with another OS user's
 * flood, are {@link IdleFloodTest}'s.
 */
@Timeout(30)
class ConnectionCapTest {
    private static final int ME = 1000;
    private static final int NOBODY = 65534;
    private static final int NOBODYS_PORTS = 40_000;

    private final List<Runnable> asked = new ArrayList<>();
    private final Executor worker = asked::add;
    private final AtomicLong clock = new AtomicLong();
    private final List<Integer> lookedUp = new ArrayList<>();
    private final List<String> lookingThreads = new ArrayList<>();
    private final ConnectionCap cap =
            new ConnectionCap(OptionalInt.of(ME), clock::incrementAndGet, worker, this::owners);

    /** The kernel of this test: a peer port of {@link #NOBODYS_PORTS} and above is nobody's. */
    private int[] owners(List<InetSocketAddress> locals, List<InetSocketAddress> peers) {
        lookingThreads.add(Thread.currentThread().getName());
        int[] out = new int[peers.size()];
        for (int i = 0; i < out.length; i++) {
            lookedUp.add(peers.get(i).getPort());
            out[i] = peers.get(i).getPort() >= NOBODYS_PORTS ? NOBODY : ME;
        }
        return out;
    }

    private Connection connect(int peerPort) {
        InetSocketAddress us = new InetSocketAddress(InetAddress.getLoopbackAddress(), 8765);
        InetSocketAddress peer = new InetSocketAddress(InetAddress.getLoopbackAddress(), peerPort);
        ByteArrayEndPoint endPoint = new ByteArrayEndPoint() {
            @Override
            public SocketAddress getLocalSocketAddress() {
                return us;
            }

            @Override
            public SocketAddress getRemoteSocketAddress() {
                return peer;
            }
        };
        Connection c = new AbstractConnection(endPoint, Runnable::run) {
            @Override
            public void onFillable() {}
        };
        cap.onOpened(c);
        return c;
    }

    private void runWorker() {
        List<Runnable> now = new ArrayList<>(asked);
        asked.clear();
        now.forEach(Runnable::run);
    }

    @Test
    void aBurstAboveTheThresholdAsksTheWorkerOnceAndNeverReadsTheTableItself() {
        List<Connection> ours = new ArrayList<>();
        for (int i = 0; i < 100; i++) ours.add(connect(30_000 + i));
        List<Connection> theirs = new ArrayList<>();
        for (int i = 0; i < 100; i++) theirs.add(connect(NOBODYS_PORTS + i));
        assertThat(lookedUp).as("the opening thread read no table").isEmpty();
        assertThat(asked).as("one sweep asked for the whole burst").hasSize(1);

        runWorker();
        assertThat(lookedUp).as("one read for every connection open").hasSize(200);
        assertThat(ours).allMatch(c -> c.getEndPoint().isOpen());
        assertThat(theirs.subList(0, 68))
                .as("nobody's oldest")
                .noneMatch(c -> c.getEndPoint().isOpen());
        assertThat(theirs.subList(68, 100))
                .as("nobody's newest 32")
                .allMatch(c -> c.getEndPoint().isOpen());
        assertThat(cap.open()).isEqualTo(132);

        lookedUp.clear();
        for (int i = 100; i < 110; i++) connect(NOBODYS_PORTS + i);
        runWorker();
        assertThat(lookedUp).as("only the new ones are looked up").hasSize(10);
        assertThat(theirs.subList(68, 78))
                .as("closed to make room")
                .noneMatch(c -> c.getEndPoint().isOpen());
        assertThat(cap.open()).isEqualTo(132);
    }

    @Test
    void belowTheThresholdNothingIsAskedAndClosedConnectionsLeave() {
        List<Connection> all = new ArrayList<>();
        for (int i = 0; i < ConnectionCap.LOOK_ABOVE; i++) all.add(connect(NOBODYS_PORTS + i));
        assertThat(asked).isEmpty();
        for (Connection c : all) cap.onClosed(c);
        assertThat(cap.open()).isZero();
    }

    @Test
    void aFloodFasterThanTheWorkerIsSweptByTheOpeningThread() {
        for (int i = 0; i < ConnectionCap.LOOK_ABOVE + ConnectionCap.MAX_UNSWEPT + 1; i++) connect(NOBODYS_PORTS + i);
        assertThat(lookingThreads)
                .as("the worker never ran: the opener swept once when too many had opened")
                .containsExactly(Thread.currentThread().getName());
        assertThat(cap.open()).isEqualTo(ConnectionCap.PER_OTHER_USER);
    }
}
