package dev.solo.core.it;

import dev.solo.core.internal.Platform;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for the tests to own. They come from below the OS's ephemeral range, so an outgoing
 * connection of some process never takes one as its local port between the check and the use, and
 * each is handed out once per JVM.
 */
final class Ports {
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private Ports() {}

    /** A port free on 127.0.0.1 and (where it exists) ::1. */
    static int free() {
        return freeRange(1);
    }

    /** The first of {@code size} consecutive ports, each free on every loopback. */
    static int freeRange(int size) {
        int[] ephemeral = ephemeralRange();
        int lo;
        int hi;
        if (ephemeral[0] > 21_000) {
            lo = 20_000;
            hi = ephemeral[0] - 1;
        } else {
            lo = ephemeral[1] + 1;
            hi = 65_535;
        }
        for (int attempt = 0; attempt < 500; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(lo, hi - size + 2);
            List<Integer> taken = new ArrayList<>();
            boolean ok = true;
            for (int p = base; p < base + size && ok; p++) {
                if (HANDED_OUT.add(p)) {
                    taken.add(p);
                    ok = bindFailure(Platform.LOOPBACK_V4, p) == null
                            && (!Platform.hasIpv6Loopback() || bindFailure(Platform.LOOPBACK_V6, p) == null);
                } else {
                    ok = false;
                }
            }
            if (ok) return base;
            HANDED_OUT.removeAll(taken);
        }
        throw new IllegalStateException("no " + size + " consecutive free loopback ports in " + lo + "-" + hi);
    }

    /**
     * Binds and at once closes a listener on {@code address:port} the way a resident does ({@code
     * SO_REUSEADDR} on, as {@code Binder} sets it off Windows).
     *
     * @return {@code null} when the bind worked, else the {@link BindException}
     */
    static BindException bindFailure(InetAddress address, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(address, port));
            return null;
        } catch (BindException e) {
            return e;
        } catch (IOException e) {
            throw new IllegalStateException("cannot test " + address + ":" + port, e);
        }
    }

    private static int[] ephemeralRange() {
        try {
            String[] parts = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .trim()
                    .split("\\s+");
            return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (IOException | RuntimeException e) {
            return new int[] {32_768, 60_999}; // Linux default; macOS and Windows start at 49152
        }
    }
}
