package dev.solo.core.internal;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Binds the listening sockets of a resident: 127.0.0.1 and, where the machine has it, ::1, on the
 * same port. The bind is the lock: there is no "is it free?" check before it.
 *
 * <p>On Windows the sockets are exclusive ({@code SO_REUSEADDR} off, which the JDK maps to {@code
 * SO_EXCLUSIVEADDRUSE}), so no other process can bind the same address over us. Elsewhere {@code
 * SO_REUSEADDR} is on, so a resident killed a moment ago does not leave its port blocked by {@code
 * TIME_WAIT}; it never lets two listeners share the port.
 */
public final class Binder {
    /**
     * The accept queue. Another user's flood of connections that the front door closes over its cap is
     * reopened at once: 128 let such a flood of 200 fill the queue each round, so the kernel dropped our own
     * client's SYN and its connect waited out the 1 s retransmission, longer than a probe waits. The
     * kernel clamps it to {@code net.core.somaxconn} (4096 on current Linux); pending connections cost
     * only kernel memory.
     */
    static final int BACKLOG = 1024;

    private static final int EPHEMERAL_ATTEMPTS = 8;

    private Binder() {}

    /** The address where the bind failed. */
    public static final class BindFailure extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient InetAddress address;
        private final int port;

        BindFailure(InetAddress address, int port, IOException cause) {
            super("cannot bind " + Platform.hostPort(address, port) + ": " + cause.getMessage(), cause);
            this.address = address;
            this.port = port;
        }

        public InetAddress address() {
            return address;
        }

        public int port() {
            return port;
        }
    }

    /**
     * Binds {@code port} (0: one the OS picks) on every loopback.
     *
     * @return the channels, 127.0.0.1 first, all on the same port
     * @throws BindFailure when an address is held; nothing stays bound then
     * @throws IOException for failures other than "address in use"
     */
    public static List<ServerSocketChannel> bind(int port) throws BindFailure, IOException {
        if (port != 0) return bindOnce(port);
        BindFailure last = null;
        for (int i = 0; i < EPHEMERAL_ATTEMPTS; i++) {
            try {
                return bindOnce(0);
            } catch (BindFailure e) {
                last = e; // the OS gave a port that is taken on ::1; ask again
            }
        }
        throw last;
    }

    private static List<ServerSocketChannel> bindOnce(int port) throws BindFailure, IOException {
        List<ServerSocketChannel> bound = new ArrayList<>(2);
        try {
            ServerSocketChannel v4 = open(Platform.LOOPBACK_V4, port);
            bound.add(v4);
            int actual = ((InetSocketAddress) v4.getLocalAddress()).getPort();
            if (Platform.hasIpv6Loopback()) bound.add(open(Platform.LOOPBACK_V6, actual));
            return bound;
        } catch (BindFailure | IOException | RuntimeException e) {
            for (ServerSocketChannel c : bound) c.close();
            throw e;
        }
    }

    private static ServerSocketChannel open(InetAddress address, int port) throws BindFailure, IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, !Platform.isWindows());
            channel.bind(new InetSocketAddress(address, port), BACKLOG);
            return channel;
        } catch (BindException e) {
            channel.close();
            throw new BindFailure(address, port, e);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }
}
