package dev.solo.testing;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;

/** The loopback addresses of this machine. */
public final class Loopback {
    /** 127.0.0.1. */
    public static final InetAddress V4 = address(new byte[] {127, 0, 0, 1});
    /** ::1, or {@code null} where the machine has no IPv6 loopback to bind. */
    public static final InetAddress V6 = ipv6();

    private Loopback() {}

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InetAddress ipv6() {
        InetAddress v6 = address(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
        if (!(v6 instanceof Inet6Address)) return null;
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(v6, 0));
            return v6;
        } catch (IOException e) {
            return null;
        }
    }
}
