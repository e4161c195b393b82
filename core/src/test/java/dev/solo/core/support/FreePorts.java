package dev.solo.core.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports that were free a moment ago, for tests that need a fixed port or a range. Picked
 * at random from 20000-31999: below the Linux ephemeral range (32768+), so outgoing connections do
 * not take them, and far from solo's own defaults (8765, 49500-49550), so a real resident of the
 * user running the build is never touched.
 */
public final class FreePorts {
    private static final int LOW = 20_000;
    private static final int HIGH = 32_000;
    private static final int ATTEMPTS = 500;

    private FreePorts() {}

    /** One free port. */
    public static int port() {
        return block(1);
    }

    /** The first of {@code size} consecutive free ports. */
    public static int block(int size) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < ATTEMPTS; i++) {
            int base = LOW + random.nextInt(HIGH - LOW - size);
            if (allFree(base, size)) return base;
        }
        throw new IllegalStateException("found no " + size + " consecutive free loopback ports in " + LOW + "-" + HIGH
                + " after " + ATTEMPTS + " tries; is the machine out of ports?");
    }

    private static boolean allFree(int base, int size) {
        for (int port = base; port < base + size; port++) {
            if (!free(Loopback.V4, port) || !free(Loopback.V6, port)) return false;
        }
        return true;
    }

    /** Whether {@code address:port} can be bound without SO_REUSEADDR (so no TIME_WAIT leftovers). */
    static boolean free(InetAddress address, int port) {
        if (address == null) return true; // no IPv6 loopback here
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(address, port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
