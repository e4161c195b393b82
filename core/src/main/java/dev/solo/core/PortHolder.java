package dev.solo.core;

import dev.solo.core.internal.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Who the kernel says listens on a port: the OS user that owns the listening socket and, where this user
 * may look, the process that holds it. A program on the port of a resident that died says what it likes
 * about itself ({@code "solo-monitor of user root (pid 1)"}); the kernel's table does not lie, so the
 * messages that name a foreign holder add its answer. Linux only ({@code /proc/net/tcp}, {@code tcp6});
 * elsewhere nothing is added.
 */
final class PortHolder {
    private static final Path PROC = Path.of("/proc");

    private PortHolder() {}

    /**
     * {@code "; its socket belongs to user 'nobody' (uid 65534), pid 4242 (python3)"}, or to "you", with the
     * pid and command only where this user can see them; {@code ""} where the kernel does not tell.
     */
    static String describe(int port) {
        return describe(PROC, port, Platform.uid());
    }

    static String describe(Path proc, int port, int self) {
        if (!Platform.isLinux() || self < 0) return "";
        long[] listener = null;
        for (String table : new String[] {"tcp", "tcp6"}) {
            try {
                listener = PeerUsers.ProcNet.listener(
                        Files.readString(proc.resolve("net").resolve(table), StandardCharsets.US_ASCII), port);
            } catch (IOException | RuntimeException e) {
                listener = null; // no such table: look in the next one
            }
            if (listener != null) break;
        }
        if (listener == null) return "";
        int uid = (int) listener[0];
        String who = uid == self ? "you (uid " + uid + ")" : "user '" + userName(uid) + "' (uid " + uid + ")";
        return "; its socket belongs to " + who + process(proc, listener[1]);
    }

    /** {@code ", pid N (command)"} of the process that holds socket {@code inode}, where this user may see it. */
    private static String process(Path proc, long inode) {
        if (inode == 0) return "";
        String link = "socket:[" + inode + "]";
        try (DirectoryStream<Path> pids =
                Files.newDirectoryStream(proc, p -> isNumber(p.getFileName().toString()))) {
            for (Path pid : pids) {
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(pid.resolve("fd"))) {
                    for (Path fd : fds) {
                        if (link.equals(readLink(fd))) {
                            String comm = Files.readString(pid.resolve("comm"), StandardCharsets.UTF_8)
                                    .strip();
                            return ", pid " + pid.getFileName() + " (" + comm + ")";
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // another user's process, or it just ended: not ours to see
                }
            }
        } catch (IOException | RuntimeException e) {
            return "";
        }
        return "";
    }

    private static String readLink(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return true;
    }

    /** The name {@code /etc/passwd} gives {@code uid}, else {@code "uid N"}'s number as text. */
    private static String userName(int uid) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"), StandardCharsets.UTF_8)) {
                String[] f = line.split(":", 4);
                if (f.length >= 3 && f[2].equals(Integer.toString(uid))) return f[0];
            }
        } catch (IOException | RuntimeException e) {
            // no password file to read: the uid alone
        }
        return Integer.toString(uid);
    }
}
