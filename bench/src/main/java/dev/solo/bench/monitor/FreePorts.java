package dev.solo.bench.monitor;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Random;

/**
 * Ports for the benchmark monitors: from {@code 20000..32699}, below every platform's ephemeral range (so
 * no outgoing connection borrows one), and never 8765, 9000 or 49500-49550, the ports the products and
 * other developers use.
 */
final class FreePorts {
    private static final int LOW = 20000;
    private static final int HIGH = 32700; // exclusive

    private FreePorts() {}

    /** A port of the window, not checked; the caller's bind or claim is the check. */
    static int candidate(Random random) {
        return LOW + random.nextInt(HIGH - LOW);
    }

    /** A port of the window that nothing listens on on 127.0.0.1 right now. */
    static int free(Random random) throws IOException {
        for (int i = 0; i < 200; i++) {
            int port = candidate(random);
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free loopback port in " + LOW + "-" + (HIGH - 1) + " after 200 tries");
    }
}
