package dev.solo.core;

import dev.solo.core.internal.Platform;
import dev.solo.core.internal.SocketTable;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;

/**
 * Which OS user owns the other end of a loopback TCP connection, where the kernel says so without
 * native code: on Linux, the owner of the peer's socket in the kernel's socket table ({@link
 * SocketTable#owners}). Elsewhere {@link #NONE} knows nobody.
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
        SocketTable table = SocketTable.proc();
        if (!Platform.isLinux() || Platform.uid() < 0 || !table.readable()) return NONE;
        return new ProcNet(table, Platform.uid());
    }

    /** Linux: the kernel's socket table ({@link SocketTable}). */
    static final class ProcNet extends PeerUsers {
        private final SocketTable table;
        private final int self;

        ProcNet(SocketTable table, int self) {
            this.table = table;
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
            return table.owners(remotes, locals);
        }
    }
}
