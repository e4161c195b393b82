package dev.solo.core;

import dev.solo.core.internal.Platform;
import dev.solo.core.internal.SocketTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Who the kernel says listens on a port: the OS user that owns the listening socket and, where this user
 * may look, the process that holds it. A program on the port of a resident that died says what it likes
 * about itself ({@code "solo-monitor of user root (pid 1)"}); the kernel's table does not lie, so the
 * messages that name a foreign holder add its answer. Linux only ({@link SocketTable}); elsewhere nothing
 * is added.
 *
 * <p>One instance answers the questions of one claim or inspection: the first question that needs a
 * process reads every {@code /proc/<pid>/fd} this user may see once, and later questions use that map. A
 * range walked past many foreign holders scans the processes once, not once per holder; a socket of this
 * user's that appeared after the scan (this user can see all its own processes) has them scanned once more.
 * Not thread-safe.
 */
final class PortHolder {
    private static final Path PROC = Path.of("/proc");

    private final Path proc;
    private final int self;
    private final SocketTable table;
    /** Socket inode to {@code ", pid N (command)"}, once scanned. */
    private Map<Long, String> holders;
    /** How many times the processes were scanned (tests). */
    int scans;

    /** The running system's kernel tables and processes, as this process's user. */
    PortHolder() {
        this(PROC, Platform.uid());
    }

    /** The tables under {@code proc}{@code /net} and the processes under {@code proc}, as user {@code self}. */
    PortHolder(Path proc, int self) {
        this.proc = proc;
        this.self = self;
        this.table = new SocketTable(proc.resolve("net"));
    }

    /**
     * {@code "; its socket belongs to user 'nobody' (uid 65534), pid 4242 (python3)"}, or to "you", with the
     * pid and command only where this user can see them; {@code ""} where the kernel does not tell.
     */
    String describe(int port) {
        if (!Platform.isLinux() || self < 0) return "";
        SocketTable.Listener listener = table.listener(port);
        if (listener == null) return "";
        int uid = listener.uid();
        String who = uid == self ? "you (uid " + uid + ")" : "user '" + userName(uid) + "' (uid " + uid + ")";
        return "; its socket belongs to " + who + process(listener.inode(), uid == self);
    }

    /** {@code ", pid N (command)"} of the process that holds socket {@code inode}, where this user may see it. */
    private String process(long inode, boolean ours) {
        if (inode == 0) return "";
        if (holders == null || (ours && !holders.containsKey(inode))) holders = scan();
        return holders.getOrDefault(inode, "");
    }

    /** Every socket inode held by a process this user may see, with the process that holds it. */
    private Map<Long, String> scan() {
        scans++;
        Map<Long, String> found = new HashMap<>();
        try (DirectoryStream<Path> pids =
                Files.newDirectoryStream(proc, p -> isNumber(p.getFileName().toString()))) {
            for (Path pid : pids) {
                String process = null;
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(pid.resolve("fd"))) {
                    for (Path fd : fds) {
                        long inode = socketInode(fd);
                        if (inode <= 0) continue;
                        if (process == null) process = ", pid " + pid.getFileName() + " (" + comm(pid) + ")";
                        found.putIfAbsent(inode, process);
                    }
                } catch (IOException | RuntimeException e) {
                    // another user's process, or it just ended: not ours to see
                }
            }
        } catch (IOException | RuntimeException e) {
            // no process directory: nobody is named
        }
        return found;
    }

    /** The inode of the socket that descriptor link {@code fd} points to ({@code socket:[N]}), else -1. */
    private static long socketInode(Path fd) {
        String link;
        try {
            link = Files.readSymbolicLink(fd).toString();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        if (!link.startsWith("socket:[") || !link.endsWith("]")) return -1;
        try {
            return Long.parseLong(link, 8, link.length() - 1, 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String comm(Path pid) {
        try {
            return Files.readString(pid.resolve("comm"), StandardCharsets.UTF_8).strip();
        } catch (IOException | RuntimeException e) {
            return "?"; // it just ended
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
