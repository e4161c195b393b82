package dev.solo.core;

import dev.solo.core.internal.Platform;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which OS user owns the other end of a loopback TCP connection, where the kernel says so without
 * native code. On Linux the peer's socket is a line of {@code /proc/net/tcp} (IPv4 sockets) or {@code
 * /proc/net/tcp6} (IPv6 sockets, IPv4 as {@code ::ffff:a.b.c.d}) whose local address is our
 * connection's remote address and whose remote address is our local one; its {@code uid} column is
 * the socket's owner. Entries without an inode (sockets no process holds any more, {@code TIME_WAIT})
 * tell nothing and are skipped. Elsewhere {@link #NONE} knows nobody.
 *
 * <p>A test seam as well: the line server takes any implementation.
 */
class PeerUsers {
    /** A uid that is not known. */
    static final int UNKNOWN = -1;

    /** Knows nobody: raw requests are refused, idle connections share one global cap. */
    static final PeerUsers NONE = new PeerUsers();

    /** Whether this implementation can tell users apart at all. */
    boolean available() {
        return false;
    }

    /** The uid of this process, or {@link #UNKNOWN}. */
    int self() {
        return UNKNOWN;
    }

    /**
     * The owner of the peer socket of each connection ({@code remotes[i]} is its remote address, {@code
     * locals[i]} ours), or {@link #UNKNOWN}.
     */
    int[] owners(List<InetSocketAddress> remotes, List<InetSocketAddress> locals) {
        int[] out = new int[remotes.size()];
        Arrays.fill(out, UNKNOWN);
        return out;
    }

    /** The kernel's answer where this JVM can read it, else {@link #NONE}. */
    static PeerUsers forPlatform() {
        Path dir = Path.of("/proc/net");
        if (!Platform.isLinux() || Platform.uid() < 0 || !Files.isReadable(dir.resolve("tcp"))) return NONE;
        return new ProcNet(dir, Platform.uid());
    }

    /** Linux: {@code /proc/net/tcp} and {@code tcp6}. */
    static final class ProcNet extends PeerUsers {
        private static final boolean LITTLE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        private final Path dir;
        private final int self;

        ProcNet(Path dir, int self) {
            this.dir = dir;
            this.self = self;
        }

        @Override
        boolean available() {
            return true;
        }

        @Override
        int self() {
            return self;
        }

        @Override
        int[] owners(List<InetSocketAddress> remotes, List<InetSocketAddress> locals) {
            int n = remotes.size();
            int[] out = new int[n];
            Arrays.fill(out, UNKNOWN);
            Map<String, Integer> v4 = new HashMap<>();
            Map<String, Integer> v6 = new HashMap<>();
            Set<Integer> ports = new HashSet<>();
            for (int i = 0; i < n; i++) {
                InetSocketAddress peer = remotes.get(i);
                InetSocketAddress us = locals.get(i);
                ports.add(peer.getPort());
                if (peer.getAddress() instanceof Inet4Address) v4.put(key(peer, us, false), i);
                v6.put(key(peer, us, true), i);
            }
            scan(dir.resolve("tcp"), v4, ports, out);
            scan(dir.resolve("tcp6"), v6, ports, out);
            return out;
        }

        /** Fills {@code out[i]} for every line whose "local remote" pair is a key of {@code wanted}. */
        private static void scan(Path file, Map<String, Integer> wanted, Set<Integer> ports, int[] out) {
            if (wanted.isEmpty()) return;
            String text;
            try {
                text = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                return; // no such table (no IPv6): nobody is found in it
            }
            parse(text, wanted, ports, out);
        }

        /** Parses the text of a {@code /proc/net/tcp}-style table; see {@link #scan}. */
        static void parse(String text, Map<String, Integer> wanted, Set<Integer> ports, int[] out) {
            int n = text.length();
            int line = text.indexOf('\n') + 1; // skip the header
            String[] fields = new String[10];
            while (line > 0 && line < n) {
                int end = text.indexOf('\n', line);
                if (end < 0) end = n;
                if (fields(text, line, end, fields) && ports.contains(port(fields[1]))) {
                    Integer i = wanted.get(fields[1] + " " + fields[2]);
                    if (i != null && !fields[9].equals("0")) {
                        try {
                            out[i] = Integer.parseInt(fields[7]);
                        } catch (NumberFormatException e) {
                            // not a table we understand: leave it unknown
                        }
                    }
                }
                line = end + 1;
            }
        }

        /**
         * The listening socket on {@code port} in the text of a {@code /proc/net/tcp}-style table: its uid and
         * inode, or {@code null}. Any local address counts (a loopback or a wildcard listener holds the port).
         */
        static long[] listener(String text, int port) {
            int n = text.length();
            int line = text.indexOf('\n') + 1; // skip the header
            String[] fields = new String[10];
            while (line > 0 && line < n) {
                int end = text.indexOf('\n', line);
                if (end < 0) end = n;
                if (fields(text, line, end, fields) && fields[3].equals("0A") && port(fields[1]) == port) {
                    try {
                        return new long[] {Long.parseLong(fields[7]), Long.parseLong(fields[9])};
                    } catch (NumberFormatException e) {
                        return null; // not a table we understand
                    }
                }
                line = end + 1;
            }
            return null;
        }

        /** Splits the first ten whitespace-separated fields of {@code text[from, to)}. */
        private static boolean fields(String text, int from, int to, String[] fields) {
            int i = from;
            for (int f = 0; f < fields.length; f++) {
                while (i < to && text.charAt(i) == ' ') i++;
                int start = i;
                while (i < to && text.charAt(i) != ' ') i++;
                if (start == i) return false;
                fields[f] = text.substring(start, i);
            }
            return true;
        }

        private static int port(String endpoint) {
            int colon = endpoint.lastIndexOf(':');
            try {
                return colon < 0 ? -1 : Integer.parseInt(endpoint, colon + 1, endpoint.length(), 16);
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        /** The "local remote" pair of the peer's socket, as the table prints it. */
        static String key(InetSocketAddress peer, InetSocketAddress us, boolean table6) {
            return endpoint(peer, table6) + " " + endpoint(us, table6);
        }

        private static String endpoint(InetSocketAddress a, boolean table6) {
            StringBuilder b = new StringBuilder(40);
            hex(a.getAddress(), table6, b);
            b.append(':');
            String port = Integer.toHexString(a.getPort()).toUpperCase(java.util.Locale.ROOT);
            for (int i = port.length(); i < 4; i++) b.append('0');
            return b.append(port).toString();
        }

        /**
         * The address as the kernel prints it: each 32-bit word of the network-order bytes printed as a
         * number in the machine's byte order; an IPv4 address in the IPv6 table as {@code ::ffff:a.b.c.d}.
         */
        private static void hex(InetAddress address, boolean table6, StringBuilder b) {
            byte[] raw = address.getAddress();
            if (table6 && raw.length == 4) {
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(raw, 0, mapped, 12, 4);
                raw = mapped;
            }
            for (int w = 0; w < raw.length; w += 4) {
                for (int k = 0; k < 4; k++) {
                    int v = raw[w + (LITTLE ? 3 - k : k)] & 0xff;
                    b.append(Character.toUpperCase(Character.forDigit(v >> 4, 16)))
                            .append(Character.toUpperCase(Character.forDigit(v & 15, 16)));
                }
            }
        }
    }
}
