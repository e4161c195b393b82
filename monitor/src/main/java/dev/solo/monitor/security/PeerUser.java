package dev.solo.monitor.security;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * Which OS user is at the other end of a loopback TCP connection, where the kernel tells: on Linux,
 * the owner of the peer's socket in {@code /proc/net/tcp} (IPv4) or {@code /proc/net/tcp6} (IPv6).
 * Both ends of a loopback connection are sockets of this machine, so the peer's socket is the line
 * whose local address is the peer's and whose remote address is ours.
 *
 * <p>Elsewhere (macOS, Windows) the answer is always empty and {@link #supported()} is false. Thread-safe.
 */
public final class PeerUser {
    private static final Path TCP4 = Path.of("/proc/net/tcp");
    private static final Path TCP6 = Path.of("/proc/net/tcp6");
    private static final Path SELF = Path.of("/proc/self");

    private PeerUser() {}

    /** Whether this OS tells the peer's user: Linux with {@code /proc/net/tcp}. */
    public static boolean supported() {
        return Files.isReadable(TCP4);
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
        if (!supported() || local == null || peer == null) return OptionalInt.empty();
        // Java's sockets are IPv6 sockets where it can: an IPv4 connection then shows in tcp6, v4-mapped.
        for (Path table : List.of(TCP4, TCP6)) {
            try {
                OptionalInt uid = find(Files.readAllLines(table, StandardCharsets.US_ASCII), local, peer);
                if (uid.isPresent()) return uid;
            } catch (IOException e) {
                // no such table (no IPv6): try the next
            }
        }
        return OptionalInt.empty();
    }

    /**
     * {@link #of} for many connections with one read of each table: {@code out[i]} is the uid of the peer
     * socket of connection {@code i} ({@code locals[i]}, {@code peers[i]}), or -1 where not listed.
     */
    public static int[] owners(List<InetSocketAddress> locals, List<InetSocketAddress> peers) {
        int[] out = new int[locals.size()];
        Arrays.fill(out, -1);
        if (!supported()) return out;
        for (Path table : List.of(TCP4, TCP6)) {
            try {
                owners(Files.readAllLines(table, StandardCharsets.US_ASCII), locals, peers, out);
            } catch (IOException e) {
                // no such table (no IPv6): the other one tells
            }
        }
        return out;
    }

    /** Fills the unknown entries of {@code out} from the lines of one table; see {@link #owners(List, List)}. */
    static void owners(List<String> lines, List<InetSocketAddress> locals, List<InetSocketAddress> peers, int[] out) {
        java.util.Map<String, Integer> byPeer = new java.util.HashMap<>();
        for (int i = 0; i < peers.size(); i++) {
            if (out[i] < 0 && peers.get(i) != null && locals.get(i) != null)
                byPeer.put(String.valueOf(peers.get(i).getPort()), i);
        }
        for (int l = 1; l < lines.size() && !byPeer.isEmpty(); l++) {
            String[] f = lines.get(l).trim().split("\\s+");
            if (f.length < 8) continue;
            int colon = f[1].indexOf(':');
            if (colon < 0) continue;
            String port;
            try {
                port = String.valueOf(Integer.parseInt(f[1].substring(colon + 1), 16));
            } catch (NumberFormatException e) {
                continue;
            }
            Integer i = byPeer.get(port);
            if (i == null || !matches(f[1], peers.get(i)) || !matches(f[2], locals.get(i))) continue;
            try {
                out[i] = Integer.parseInt(f[7]);
                byPeer.remove(port);
            } catch (NumberFormatException e) {
                // not a table we understand: leave it unknown
            }
        }
    }

    /** The uid column of the line for the socket at {@code peer} connected to {@code local}. */
    static OptionalInt find(List<String> lines, InetSocketAddress local, InetSocketAddress peer) {
        for (int i = 1; i < lines.size(); i++) {
            // "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode …"
            String[] f = lines.get(i).trim().split("\\s+");
            if (f.length < 8) continue;
            if (matches(f[1], peer) && matches(f[2], local)) {
                try {
                    return OptionalInt.of(Integer.parseInt(f[7]));
                } catch (NumberFormatException e) {
                    return OptionalInt.empty();
                }
            }
        }
        return OptionalInt.empty();
    }

    /** "0100007F:1F90" against 127.0.0.1:8080: the address in host byte order per 32-bit word, the port in hex. */
    static boolean matches(String field, InetSocketAddress address) {
        int colon = field.indexOf(':');
        if (colon < 0) return false;
        int port;
        try {
            port = Integer.parseInt(field.substring(colon + 1), 16);
        } catch (NumberFormatException e) {
            return false;
        }
        if (port != address.getPort()) return false;
        byte[] want = address.getAddress().getAddress();
        byte[] got = decode(field.substring(0, colon));
        if (got == null) return false;
        if (got.length == 16 && want.length == 4) want = mapped(want);
        return Arrays.equals(want, got);
    }

    /** ::ffff:a.b.c.d, the form an IPv4 address takes on an IPv6 socket. */
    private static byte[] mapped(byte[] v4) {
        byte[] out = new byte[16];
        out[10] = (byte) 0xff;
        out[11] = (byte) 0xff;
        System.arraycopy(v4, 0, out, 12, 4);
        return out;
    }

    /**
     * The kernel prints each 32-bit word of the address as the number its bytes (network order) make
     * in this machine's byte order; writing that number back in the same order gives the bytes.
     */
    private static byte[] decode(String hex) {
        if (hex.length() != 8 && hex.length() != 32) return null;
        ByteBuffer out = ByteBuffer.allocate(hex.length() / 2).order(ByteOrder.nativeOrder());
        for (int i = 0; i < hex.length(); i += 8) {
            try {
                out.putInt((int) Long.parseLong(hex.substring(i, i + 8), 16));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return out.array();
    }
}
