package dev.solo.core.internal;

import dev.solo.core.ConfigException;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
    /** The effective uid, once read; {@link Integer#MIN_VALUE} until then. */
    private static volatile int uid = Integer.MIN_VALUE;

    private Platform() {}

    public static boolean isWindows() {
        return OS.startsWith("windows");
    }

    public static boolean isMac() {
        return OS.startsWith("mac");
    }

    public static boolean isLinux() {
        return OS.startsWith("linux");
    }

    /** The OS user this process runs as. */
    public static String user() {
        return System.getProperty("user.name", "unknown");
    }

    /**
     * The effective uid of this process where the OS tells it without native code (Linux: {@code
     * /proc/self/status}), else -1. Read once.
     */
    public static int uid() {
        int known = uid;
        if (known != Integer.MIN_VALUE) return known;
        int result = -1;
        if (isLinux()) {
            try {
                result = effectiveUid(Files.readString(Path.of("/proc/self/status"), StandardCharsets.US_ASCII));
            } catch (IOException | RuntimeException e) {
                result = -1;
            }
        }
        uid = result;
        return result;
    }

    /** The effective uid from the text of {@code /proc/<pid>/status} ({@code Uid: real effective ...}). */
    static int effectiveUid(String status) {
        int at = status.startsWith("Uid:") ? 0 : status.indexOf("\nUid:");
        if (at < 0) return -1;
        int i = status.indexOf(':', at) + 1;
        int n = status.length();
        for (int field = 0; field < 2; field++) {
            while (i < n && (status.charAt(i) == ' ' || status.charAt(i) == '\t')) i++;
            int start = i;
            while (i < n && status.charAt(i) >= '0' && status.charAt(i) <= '9') i++;
            if (start == i) return -1;
            if (field == 1) return Integer.parseInt(status, start, i, 10);
        }
        return -1;
    }

    /**
     * The user's home directory: {@code $HOME} where it is set to an absolute path (outside Windows),
     * else the JVM's {@code user.home}. The JVM takes {@code user.home} from the password database, so
     * without this a user (or a test) who sets {@code HOME} would find solo's state somewhere else.
     */
    public static Path userHome(Map<String, String> env) {
        if (!isWindows()) {
            String home = env.get("HOME");
            if (home != null && !home.isBlank() && home.startsWith("/")) return Path.of(home);
        }
        return Path.of(System.getProperty("user.home"));
    }

    /**
     * Where a resident of this user puts its Unix-domain socket when no state directory was chosen
     * explicitly: {@code $XDG_RUNTIME_DIR/solo} where that variable is an absolute path (the user's
     * private, memory-backed runtime directory on Linux), else {@code null}: the caller uses its state
     * directory.
     */
    public static Path runtimeDir(Map<String, String> env) {
        if (isWindows() || !blank(System.getProperty(PROP_HOME)) || !blank(env.get(ENV_HOME))) return null;
        String xdg = env.get("XDG_RUNTIME_DIR");
        if (xdg == null || xdg.isBlank() || !xdg.startsWith("/")) return null;
        return Path.of(xdg, "solo");
    }

    /**
     * The per-user state directory: {@code solo.home}, else {@code SOLO_HOME}, else the platform's
     * place: {@code $XDG_STATE_HOME/solo} or {@code ~/.local/state/solo} on Linux, {@code ~/Library/
     * Application Support/solo} on macOS, {@code %LOCALAPPDATA%\solo} on Windows. {@code ~} is {@link
     * #userHome}: {@code $HOME} first.
     */
    public static Path soloHome(Map<String, String> env) {
        String prop = System.getProperty(PROP_HOME);
        if (prop != null && !prop.isBlank()) return absolute("the system property " + PROP_HOME, prop);
        String override = env.get(ENV_HOME);
        if (override != null && !override.isBlank()) return absolute(ENV_HOME, override);
        Path home = userHome(env);
        if (isWindows()) {
            String local = env.get("LOCALAPPDATA");
            return (local != null && !local.isBlank() ? Path.of(local) : home.resolve("AppData/Local")).resolve("solo");
        }
        if (isMac()) return home.resolve("Library/Application Support/solo");
        String xdg = env.get("XDG_STATE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) return Path.of(xdg, "solo");
        return home.resolve(".local/state/solo");
    }

    /**
     * A state directory named by the user must be absolute: every solo process of the user reads it, and
     * they start in other directories (a Claude Code hook in the project, a service manager in /), where a
     * relative one names another place and so another registry, token and monitor.
     *
     * @throws ConfigException naming the setting and the value
     */
    private static Path absolute(String setting, String value) {
        Path p = Path.of(value);
        if (p.isAbsolute()) return p;
        throw new ConfigException(setting + " must be an absolute path, got '" + value + "': solo's processes start in"
                + " other directories, where it would name another state directory. Set it to an absolute path, such"
                + " as '" + Path.of(value).toAbsolutePath() + "'.");
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
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
