package dev.solo.core.support;

import dev.solo.core.internal.Platform;
import java.net.InetAddress;

/** The loopback addresses of this machine, as the code under test sees them. */
public final class Loopback {
    /** 127.0.0.1. */
    public static final InetAddress V4 = Platform.LOOPBACK_V4;
    /** ::1, or {@code null} where the machine has no IPv6 loopback. */
    public static final InetAddress V6 = Platform.hasIpv6Loopback() ? Platform.LOOPBACK_V6 : null;

    private Loopback() {}
}
