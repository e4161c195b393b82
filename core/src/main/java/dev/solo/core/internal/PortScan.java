package dev.solo.core.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Finds which ports of a range accept connections, all at once: one non-blocking connect per port
 * on a single selector. A sequential scan would cost a full refusal per closed port, and on Windows
 * a refused loopback connect takes about two seconds.
 */
public final class PortScan {
    private PortScan() {}

    /**
     * The ports of {@code from..to} (inclusive, minus {@code skip}) that accepted a connection within
     * {@code timeoutMillis}, lowest first. Connections are closed at once; nothing is sent.
     */
    public static List<Integer> openPorts(InetAddress address, int from, int to, Set<Integer> skip, int timeoutMillis)
            throws IOException {
        List<Integer> open = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            for (int port = from; port <= to; port++) {
                if (skip.contains(port)) continue;
                SocketChannel channel = SocketChannel.open();
                try {
                    channel.configureBlocking(false);
                    if (channel.connect(new InetSocketAddress(address, port))) {
                        open.add(port);
                        channel.close();
                    } else {
                        channel.register(selector, SelectionKey.OP_CONNECT, port);
                    }
                } catch (IOException refused) {
                    channel.close();
                }
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (!selector.keys().isEmpty()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) break;
                selector.select(left);
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel channel = (SocketChannel) key.channel();
                    try {
                        if (channel.finishConnect()) open.add((Integer) key.attachment());
                    } catch (IOException refused) {
                        // closed port
                    }
                    key.cancel();
                    channel.close();
                }
                selector.selectedKeys().clear();
                selector.selectNow(); // flush cancelled keys so keys() shrinks
            }
            for (SelectionKey key : selector.keys()) key.channel().close();
        }
        Collections.sort(open);
        return open;
    }
}
