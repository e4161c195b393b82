package dev.solo.testing;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for tests to own. They come from 20000 up to the start of the OS's ephemeral range
 * (32768 on Linux), so no outgoing connection takes one between the check and the use, and far from
 * solo's own defaults (8765, 49500-49550), so a real resident of the user running the build is never
 * touched. Each port is checked free on 127.0.0.1 and, where it exists, [::1].
 *
 * <p>A port is handed out once per machine while this JVM lives: each is locked with a file lock
 * under {@code java.io.tmpdir/solo-test-ports}, so parallel builds (and parallel modules) never get
 * the same port. The OS drops the locks when the JVM exits.
 */
public final class Ports {
    private static final int LOW = 20_000;
    private static final int ATTEMPTS = 1_000;
    private static final Map<Integer, FileLock> HELD = new ConcurrentHashMap<>();

    private Ports() {}

    /** A port free on every loopback address. */
    public static int free() {
        return freeRange(1);
    }

    /** The first of {@code size} consecutive ports, each free on every loopback address. */
    public static int freeRange(int size) {
        if (size < 1 || size > 1000) throw new IllegalArgumentException("size must be 1..1000, got " + size);
        int high = Math.min(32_767, ephemeralStart() - 1);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(LOW, high - size + 2);
            List<Integer> taken = new ArrayList<>();
            boolean ok = true;
            for (int p = base; p < base + size && ok; p++) {
                ok = lock(p);
                if (ok) {
                    taken.add(p);
                    ok = bindFailure(Loopback.V4, p) == null
                            && (Loopback.V6 == null || bindFailure(Loopback.V6, p) == null);
                }
            }
            if (ok) return base;
            for (int p : taken) unlock(p);
        }
        throw new IllegalStateException("found no " + size + " consecutive free loopback ports in " + LOW + "-" + high
                + " after " + ATTEMPTS + " tries; is something holding thousands of ports?");
    }

    /**
     * Binds and at once closes a listener on {@code address:port} as a resident does ({@code
     * SO_REUSEADDR} on, as solo sets it off Windows).
     *
     * @return {@code null} when the bind worked, else the {@link BindException}
     */
    public static BindException bindFailure(InetAddress address, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(address, port));
            return null;
        } catch (BindException e) {
            return e;
        } catch (IOException e) {
            throw new IllegalStateException("cannot test " + address + ":" + port + ": " + e, e);
        }
    }

    private static boolean lock(int port) {
        if (HELD.containsKey(port)) return false;
        try {
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "solo-test-ports");
            Files.createDirectories(dir);
            FileChannel channel =
                    FileChannel.open(dir.resolve(port + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                return false;
            }
            if (HELD.putIfAbsent(port, lock) != null) {
                channel.close();
                return false;
            }
            return true;
        } catch (IOException e) {
            return true; // no lock directory: fall back to the bind check alone
        }
    }

    private static void unlock(int port) {
        FileLock lock = HELD.remove(port);
        if (lock == null) return;
        try {
            lock.channel().close();
        } catch (IOException e) {
            // released with the channel either way
        }
    }

    private static int ephemeralStart() {
        try {
            // readLine, not readString: a /proc file reports size 0, and JDK 17's readString then stops
            // after its first read ("3" of "32768\t60999")
            String line;
            try (var in = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
                line = in.readLine();
            }
            String[] parts = line.trim().split("\\s+");
            return Math.max(LOW + 1000, Integer.parseInt(parts[0]));
        } catch (IOException | RuntimeException e) {
            return 32_768; // the Linux default; macOS and Windows start at 49152
        }
    }
}
