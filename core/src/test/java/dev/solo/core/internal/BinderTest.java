package dev.solo.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The listening sockets a claim makes. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BinderTest {
    /**
     * Another user's flood that the front door closes over its cap reopens its connections at once, so a
     * few hundred of them can wait in the accept queue together. All of them, and one more of ours, must
     * complete their handshake: where the queue is full the kernel drops the SYN, and the connect waits
     * out a 1 s retransmission, longer than a probe waits (AttackIT's flood of 200 failed so, with 128).
     */
    @Test
    void aFewHundredConnectionsWaitingToBeAcceptedDoNotBlockTheNext() throws Exception {
        int pending = 400;
        Path somaxconn = Path.of("/proc/sys/net/core/somaxconn");
        assumeTrue(
                !Files.isReadable(somaxconn)
                        || Integer.parseInt(Files.readAllLines(somaxconn).get(0).trim()) > pending,
                "net.core.somaxconn caps every accept queue of this machine below " + pending);
        List<ServerSocketChannel> listeners = Binder.bind(0);
        List<SocketChannel> clients = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            ServerSocketChannel v4 = listeners.get(0);
            InetSocketAddress target =
                    new InetSocketAddress(Platform.LOOPBACK_V4, ((InetSocketAddress) v4.getLocalAddress()).getPort());
            for (int i = 0; i < pending + 1; i++) {
                SocketChannel c = SocketChannel.open();
                clients.add(c);
                c.configureBlocking(false);
                c.setOption(StandardSocketOptions.SO_LINGER, 0);
                if (!c.connect(target)) c.register(selector, SelectionKey.OP_CONNECT);
            }
            // Nothing is accepted. Every handshake completes well inside the first SYN retransmission (1 s).
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(900);
            while (!selector.keys().isEmpty() && deadline - System.nanoTime() > 0) {
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                for (SelectionKey k : selector.selectedKeys()) {
                    if (((SocketChannel) k.channel()).finishConnect()) k.cancel();
                }
                selector.selectedKeys().clear();
                selector.selectNow();
            }
            long connected = clients.stream().filter(SocketChannel::isConnected).count();
            assertThat(connected)
                    .as("connections whose handshake completed with %d waiting to be accepted", pending)
                    .isEqualTo(pending + 1);
        } finally {
            for (SocketChannel c : clients) c.close();
            for (ServerSocketChannel l : listeners) l.close();
        }
    }
}
