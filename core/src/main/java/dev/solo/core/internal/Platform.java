package dev.solo.core.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Facts about the machine: the OS, the user, where per-user state lives, which loopbacks exist. */
public final class Platform {
    /** Overrides the per-user state directory (tests, portable installs). */
    public static final String ENV_HOME = "SOLO_HOME";
    /** System property with the same meaning as {@link #ENV_HOME}; wins over it. */
    public static final String PROP_HOME = "solo.home";
    /** Set to {@code false} to skip the IPv6 loopback even where it exists. */
    public static final String PROP_IPV6 = "solo.ipv6";

    public static final InetAddress LOOPBACK_V4 = address(new byte[] {127, 0, 0, 1});
    public static final InetAddress LOOPBACK_V6 = address(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});

    private static final String OS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    private static volatile Boolean ipv6;

    private Platform() {}

    public static boolean isWindows() {
        return OS.startsWith("windows");
    }

    public static boolean isMac() {
        return OS.startsWith("mac");
    }

    /** The OS user this process runs as. */
    public static String user() {
        return System.getProperty("user.name", "unknown");
    }

    /**
     * The per-user state directory: {@code solo.home}, else {@code SOLO_HOME}, else the platform's
     * place: {@code $XDG_STATE_HOME/solo} or {@code ~/.local/state/solo} on Linux, {@code ~/Library/
     * Application Support/solo} on macOS, {@code %LOCALAPPDATA%\solo} on Windows.
     */
    public static Path soloHome(Map<String, String> env) {
        String prop = System.getProperty(PROP_HOME);
        if (prop != null && !prop.isBlank()) return Path.of(prop);
        String override = env.get(ENV_HOME);
        if (override != null && !override.isBlank()) return Path.of(override);
        Path home = Path.of(System.getProperty("user.home"));
        if (isWindows()) {
            String local = env.get("LOCALAPPDATA");
            return (local != null && !local.isBlank() ? Path.of(local) : home.resolve("AppData/Local")).resolve("solo");
        }
        if (isMac()) return home.resolve("Library/Application Support/solo");
        String xdg = env.get("XDG_STATE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) return Path.of(xdg, "solo");
        return home.resolve(".local/state/solo");
    }

    /** Whether this machine has an IPv6 loopback that a server should bind as well. Cached. */
    public static boolean hasIpv6Loopback() {
        Boolean known = ipv6;
        if (known != null) return known;
        boolean result;
        if ("false".equalsIgnoreCase(System.getProperty(PROP_IPV6)) || Boolean.getBoolean("java.net.preferIPv4Stack")) {
            result = false;
        } else {
            try {
                result = NetworkInterface.getByInetAddress(LOOPBACK_V6) != null;
            } catch (SocketException e) {
                result = false;
            }
        }
        ipv6 = result;
        return result;
    }

    /** "127.0.0.1:8765" or "[::1]:8765". */
    public static String hostPort(InetAddress address, int port) {
        return (address instanceof Inet6Address
                        ? "[" + address.getHostAddress().replace("0:0:0:0:0:0:0:1", "::1") + "]"
                        : address.getHostAddress())
                + ":" + port;
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
