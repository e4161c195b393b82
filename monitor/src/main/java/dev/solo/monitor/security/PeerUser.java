package dev.solo.monitor.security;

import dev.solo.core.internal.SocketTable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * Which OS user is at the other end of a loopback TCP connection, where the kernel tells: on Linux, the
 * owner of the peer's socket in the kernel's socket table, read by core's {@link SocketTable} (the one
 * reader of {@code /proc/net/tcp} and {@code tcp6} in solo). A socket no process holds any more tells
 * nothing.
 *
 * <p>Elsewhere (macOS, Windows) the answer is always empty and {@link #supported()} is false. Thread-safe.
 */
public final class PeerUser {
    private static final Path SELF = Path.of("/proc/self");

    private PeerUser() {}

    /** Whether this OS tells the peer's user: Linux with {@code /proc/net/tcp}. */
    public static boolean supported() {
        return SocketTable.proc().readable();
    }

    /** The uid this process runs as, or empty where {@link #supported()} is false. */
    public static OptionalInt self() {
        try {
            return supported() ? OptionalInt.of((Integer) Files.getAttribute(SELF, "unix:uid")) : OptionalInt.empty();
        } catch (IOException | UnsupportedOperationException e) {
            return OptionalInt.empty();
        }
    }

    /**
     * The uid that owns the socket at {@code peer} connected to {@code local}, or empty when the OS does
     * not tell or no such connection is listed.
     *
     * @param local our end of the connection (the address and port the server accepted it on)
     * @param peer the client's end
     */
    public static OptionalInt of(InetSocketAddress local, InetSocketAddress peer) {
        if (local == null || peer == null) return OptionalInt.empty();
        int uid = owners(List.of(local), List.of(peer))[0];
        return uid < 0 ? OptionalInt.empty() : OptionalInt.of(uid);
    }

    /**
     * {@link #of} for many connections with one read of each table: {@code out[i]} is the uid of the peer
     * socket of connection {@code i} ({@code locals[i]}, {@code peers[i]}), or -1 where not listed.
     */
    public static int[] owners(List<InetSocketAddress> locals, List<InetSocketAddress> peers) {
        if (!supported()) {
            int[] none = new int[locals.size()];
            Arrays.fill(none, SocketTable.UNKNOWN);
            return none;
        }
        return SocketTable.proc().owners(peers, locals);
    }
}
