package dev.solo.core.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel's table of TCP sockets, where Linux prints it without native code: {@code /proc/net/tcp}
 * (IPv4 sockets) and {@code /proc/net/tcp6} (IPv6 sockets; an IPv4 peer of an IPv6 socket shows as {@code
 * ::ffff:a.b.c.d}). Each line after the header is one socket: {@code sl local remote st queues timer
 * retrnsmt uid timeout inode …}, an endpoint printed as {@code ADDRESS:PORT}, where each 32-bit word of the
 * network-order address is printed as a hex number in this machine's byte order and the port as four hex
 * digits.
 *
 * <p>The one reader of these tables in solo: core's peer users and port holders, the monitor's peer user
 * and connection cap all ask it. A table is read as bytes and each line is matched where it lies: the
 * endpoints sought are written once as the kernel prints them, and a line is compared only when its local
 * port is one of theirs; nothing is split or copied per line. A line without an inode (a socket in {@code
 * TIME_WAIT}, or one no process holds any more) tells nothing and is skipped: the kernel lists it as
 * root's.
 *
 * <p>Not exported from the module; solo's own modules use it on the class path. Immutable and
 * thread-safe: each question reads the tables anew.
 */
public final class SocketTable {
    /** An owner that is not known. */
    public static final int UNKNOWN = -1;

    /** The state column of a listening socket. */
    static final int LISTEN = 0x0A;

    private static final boolean LITTLE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final SocketTable PROC = new SocketTable(Path.of("/proc/net"));

    private final Path dir;

    /** The tables of {@code dir} (a {@code /proc/net} or a test's copy of one). */
    public SocketTable(Path dir) {
        this.dir = dir;
    }

    /** The running kernel's tables, {@code /proc/net}. */
    public static SocketTable proc() {
        return PROC;
    }

    /** Whether there is a table to read here: Linux with {@code /proc/net/tcp}. */
    public boolean readable() {
        return Files.isReadable(dir.resolve("tcp"));
    }

    /** The socket listening on a port: its owner's uid and its inode (0 where no process holds it). */
    public record Listener(int uid, long inode) {}

    /**
     * The owner of the peer socket of each loopback connection: {@code out[i]} is the uid of the socket at
     * {@code remotes.get(i)} connected to {@code locals.get(i)} (both ends of a loopback connection are
     * sockets of this machine: the peer's line has our remote address as its local one), or {@link #UNKNOWN}
     * where neither table lists it or an address is {@code null}. Each table is read at most once: the IPv4
     * one only for connections between IPv4 addresses, the IPv6 one not when the IPv4 one named every owner.
     */
    public int[] owners(List<InetSocketAddress> remotes, List<InetSocketAddress> locals) {
        int n = remotes.size();
        int[] out = new int[n];
        Arrays.fill(out, UNKNOWN);
        Wanted v4 = new Wanted(n);
        Wanted v6 = new Wanted(n);
        for (int i = 0; i < n; i++) {
            InetSocketAddress peer = remotes.get(i);
            InetSocketAddress us = locals.get(i);
            if (peer == null || us == null || peer.getAddress() == null || us.getAddress() == null) continue;
            if (peer.getAddress().getAddress().length == 4 && us.getAddress().getAddress().length == 4)
                v4.add(i, endpoint(peer, false), endpoint(us, false), peer.getPort());
            v6.add(i, endpoint(peer, true), endpoint(us, true), peer.getPort());
        }
        int left = v4.size() == 0 ? 0 : v4.find(read("tcp"), out);
        if (left > 0 || v4.size() < v6.size()) v6.find(read("tcp6"), out);
        return out;
    }

    /**
     * The socket listening on {@code port} on any local address (a loopback or a wildcard listener holds
     * the port), from the IPv4 table, else the IPv6 one; {@code null} where neither lists one.
     */
    public Listener listener(int port) {
        for (String table : new String[] {"tcp", "tcp6"}) {
            byte[] text = read(table);
            Row row = new Row(text);
            while (row.next()) {
                if (row.localPort() == port && row.state() == LISTEN) {
                    long uid = row.number(7);
                    long inode = row.number(9);
                    return uid < 0 || inode < 0 ? null : new Listener((int) uid, inode);
                }
            }
        }
        return null;
    }

    /** A table's bytes; none where it cannot be read (no IPv6, not Linux). */
    private byte[] read(String table) {
        try {
            return Files.readAllBytes(dir.resolve(table));
        } catch (IOException | RuntimeException e) {
            return new byte[0];
        }
    }

    /** The connections sought in one table, indexed by the peer's port (the port of the line's local end). */
    private static final class Wanted {
        private final Map<Integer, int[]> byPort = new HashMap<>();
        private final byte[][] peers;
        private final byte[][] ours;
        private int size;

        Wanted(int n) {
            peers = new byte[n][];
            ours = new byte[n][];
        }

        void add(int i, byte[] peer, byte[] us, int port) {
            peers[i] = peer;
            ours[i] = us;
            size++;
            byPort.merge(port, new int[] {i}, (a, b) -> {
                int[] both = Arrays.copyOf(a, a.length + 1);
                both[a.length] = b[0];
                return both;
            });
        }

        int size() {
            return size;
        }

        /** Fills {@code out} from the lines of {@code text}; returns how many sought are still unknown. */
        int find(byte[] text, int[] out) {
            int left = 0;
            for (int i = 0; i < peers.length; i++) if (peers[i] != null && out[i] == UNKNOWN) left++;
            Row row = new Row(text);
            while (left > 0 && row.next()) {
                int[] candidates = byPort.get(row.localPort());
                if (candidates == null) continue;
                for (int i : candidates) {
                    if (out[i] != UNKNOWN || !row.is(1, peers[i]) || !row.is(2, ours[i])) continue;
                    long uid = row.number(7);
                    if (uid >= 0 && row.number(9) > 0) {
                        out[i] = (int) uid;
                        left--;
                    }
                    break;
                }
            }
            return left;
        }
    }

    /**
     * A cursor over the lines of a table, the one parser of its rows: {@link #next()} finds the first ten
     * fields of the next line by their offsets; the accessors read them in place.
     */
    static final class Row {
        private static final int FIELDS = 10;
        private final byte[] text;
        private final int[] start = new int[FIELDS];
        private final int[] end = new int[FIELDS];
        private int at;

        Row(byte[] text) {
            this.text = text;
            this.at = eol(0) + 1; // past the header
        }

        /** Moves to the next line with at least ten fields; false at the end of the table. */
        boolean next() {
            while (at < text.length) {
                int eol = eol(at);
                int i = at;
                int f = 0;
                while (f < FIELDS) {
                    while (i < eol && text[i] == ' ') i++;
                    if (i >= eol) break;
                    start[f] = i;
                    while (i < eol && text[i] != ' ') i++;
                    end[f++] = i;
                }
                at = eol + 1;
                if (f == FIELDS) return true;
            }
            return false;
        }

        /** The end of the line that starts at {@code from}: its newline, or the end of the text. */
        private int eol(int from) {
            for (int i = from; i < text.length; i++) if (text[i] == '\n') return i;
            return text.length;
        }

        /** Whether field {@code f} is exactly {@code want}. */
        boolean is(int f, byte[] want) {
            return end[f] - start[f] == want.length && Arrays.equals(text, start[f], end[f], want, 0, want.length);
        }

        /** The port of the local endpoint (field 1), or -1. */
        int localPort() {
            int colon = end[1] - 5;
            return colon >= start[1] && text[colon] == ':' ? (int) hex(colon + 1, end[1]) : -1;
        }

        /** The state column (field 3), or -1. */
        int state() {
            return (int) hex(start[3], end[3]);
        }

        /** Decimal field {@code f}, or -1 where it is not a number. */
        long number(int f) {
            long v = 0;
            if (end[f] - start[f] > 18) return -1;
            for (int i = start[f]; i < end[f]; i++) {
                int d = text[i] - '0';
                if (d < 0 || d > 9) return -1;
                v = v * 10 + d;
            }
            return end[f] > start[f] ? v : -1;
        }

        private long hex(int from, int to) {
            long v = 0;
            if (to <= from || to - from > 8) return -1;
            for (int i = from; i < to; i++) {
                int d = Character.digit(text[i], 16);
                if (d < 0) return -1;
                v = v << 4 | d;
            }
            return v;
        }
    }

    /** An endpoint as the kernel prints it in the IPv4 table, or ({@code table6}) in the IPv6 one. */
    static byte[] endpoint(InetSocketAddress a, boolean table6) {
        byte[] raw = a.getAddress().getAddress();
        if (table6 && raw.length == 4) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(raw, 0, mapped, 12, 4);
            raw = mapped;
        }
        byte[] out = new byte[raw.length * 2 + 5];
        int o = 0;
        for (int w = 0; w < raw.length; w += 4) {
            for (int k = 0; k < 4; k++) {
                int v = raw[w + (LITTLE ? 3 - k : k)] & 0xff;
                out[o++] = HEX[v >> 4];
                out[o++] = HEX[v & 15];
            }
        }
        out[o++] = ':';
        int port = a.getPort();
        for (int shift = 12; shift >= 0; shift -= 4) out[o++] = HEX[port >> shift & 15];
        return out;
    }
}
