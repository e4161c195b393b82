package dev.solo.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for benchmarks, found at setup time.
 *
 * <p>Ports come from {@code 20000..32699}: below the ephemeral ranges of Linux (32768+), macOS and
 * Windows (49152+), so no outgoing connection of the benchmark borrows one of them as its source port
 * (a parallel scan could otherwise connect a socket to itself), and far from the ports the products
 * use (8765, 49500-49550), which a benchmark must never touch.
 */
final class Ports {
    static final InetAddress LOOPBACK_V4 = address(new byte[] {127, 0, 0, 1});
    static final InetAddress LOOPBACK_V6 = address(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});

    private static final int LOW = 20000;
    private static final int HIGH = 32700; // exclusive
    private static final int ATTEMPTS = 200;

    private Ports() {}

    /**
     * The first port of {@code size} consecutive ports that are all free on 127.0.0.1 (and ::1 where
     * it exists) right now. Nothing stays bound; the caller's claim is the real check.
     */
    static int freeRange(int size) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int start = LOW + random.nextInt(HIGH - LOW - size);
            boolean allFree = true;
            for (int port = start; port < start + size && allFree; port++) {
                allFree = isFree(port);
            }
            if (allFree) return checked(start, size);
        }
        throw new IllegalStateException("no " + size + " consecutive free loopback ports in " + LOW + "-" + (HIGH - 1)
                + " after " + ATTEMPTS + " tries; free some ports or run the benchmark later");
    }

    /** A listening socket on 127.0.0.1, on a free port of the benchmark window. */
    static ServerSocket bindFree(int backlog) throws IOException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = checked(LOW + random.nextInt(HIGH - LOW), 1);
            ServerSocket socket = new ServerSocket();
            try {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(LOOPBACK_V4, port), backlog);
                return socket;
            } catch (IOException taken) {
                socket.close();
            }
        }
        throw new IOException("no free loopback port in " + LOW + "-" + (HIGH - 1) + " after " + ATTEMPTS + " tries");
    }

    private static boolean isFree(int port) {
        return canBind(LOOPBACK_V4, port) && (!hasIpv6Loopback() || canBind(LOOPBACK_V6, port));
    }

    private static boolean canBind(InetAddress address, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true); // as the resident binds (Binder); a TIME_WAIT leftover is no obstacle
            s.bind(new InetSocketAddress(address, port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean hasIpv6Loopback() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(LOOPBACK_V6, 0), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Guards the rule: never 8765, never 49500-49550. */
    private static int checked(int start, int size) {
        int end = start + size - 1;
        if ((start <= 8765 && 8765 <= end) || (start <= 49550 && 49500 <= end)) {
            throw new IllegalStateException("ports " + start + "-" + end + " overlap the products' ports");
        }
        return start;
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
