package dev.solo.core.support;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who owns a loopback connection, as a test decides it: connections whose client port was marked with
 * {@link #mark(int)} belong to {@link #STRANGER}, every other one to {@link #SELF}. Stands in for the
 * kernel's table where a test needs two users in one JVM; the attack tests as {@code nobody} use the
 * real table.
 */
public final class FakeUsers {
    public static final int SELF = 1000;
    public static final int STRANGER = 4242;

    private final Set<Integer> strangers = ConcurrentHashMap.newKeySet();

    /** The connection from client port {@code port} belongs to {@link #STRANGER}. */
    public void mark(int port) {
        strangers.add(port);
    }

    /** The owner of each connection, by its client port. */
    public int[] owners(List<InetSocketAddress> remotes) {
        int[] out = new int[remotes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = strangers.contains(remotes.get(i).getPort()) ? STRANGER : SELF;
        }
        return out;
    }
}
