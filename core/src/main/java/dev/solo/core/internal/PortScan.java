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
 * Finds which ports of a range accept connections: non-blocking connects on a single selector, at most
 * {@link #BATCH} sockets open at once, whatever the range. A sequential scan would cost a full refusal
 * per closed port (on Windows a refused loopback connect takes about two seconds); one socket per port
 * of a range of thousands would exhaust the process's file descriptors ({@code ulimit -n 1024}).
 */
public final class PortScan {
    /** The most sockets a scan holds open at once. */
    public static final int BATCH = 64;

    private PortScan() {}

    /**
     * The ports of {@code from..to} (inclusive, minus {@code skip}) that accepted a connection within
     * {@code timeoutMillis} of their batch's start, lowest first. Connections are closed at once;
     * nothing is sent. A refused port costs a batch nothing; only silent ports (a firewall that drops
     * SYNs) make a batch wait for its timeout.
     */
    public static List<Integer> openPorts(InetAddress address, int from, int to, Set<Integer> skip, int timeoutMillis)
            throws IOException {
        List<Integer> open = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            try {
                int port = from;
                while (port <= to) {
                    int opened = 0;
                    for (; port <= to && opened < BATCH; port++) {
                        if (skip.contains(port)) continue;
                        if (connect(selector, address, port, open)) opened++;
                    }
                    await(selector, timeoutMillis, open);
                }
            } finally {
                // Closing a selector deregisters its channels but does not close them: a failed scan
                // (say, out of file descriptors) must not leak the sockets it opened.
                closeAll(selector);
            }
        }
        Collections.sort(open);
        return open;
    }

    /** Starts a connect to {@code port}; whether a socket stays open (registered) for it. */
    private static boolean connect(Selector selector, InetAddress address, int port, List<Integer> open)
            throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.configureBlocking(false);
            if (channel.connect(new InetSocketAddress(address, port))) {
                open.add(port);
                channel.close();
                return false;
            }
            channel.register(selector, SelectionKey.OP_CONNECT, port);
            return true;
        } catch (IOException refused) {
            channel.close();
            return false;
        }
    }

    /** Waits for the registered connects to finish, at most {@code timeoutMillis}; closes every socket. */
    private static void await(Selector selector, int timeoutMillis, List<Integer> open) throws IOException {
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
        closeAll(selector);
    }

    private static void closeAll(Selector selector) throws IOException {
        for (SelectionKey key : selector.keys()) {
            key.cancel();
            key.channel().close();
        }
        selector.selectNow();
    }
}
