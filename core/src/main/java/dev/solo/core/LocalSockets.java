package dev.solo.core;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a resident's same-user Unix-domain socket lives, and the rules for that file.
 *
 * <p><b>Place.</b> {@code <socket dir>/<service>[@<name>]<policy>.sock} in the registry's socket
 * directory ({@code $XDG_RUNTIME_DIR/solo}, else {@code <solo home>/run}), with {@code <policy>} {@code
 * -p8765} for a fixed port, {@code -r49500-49550} for a range and nothing for an OS-assigned port: a
 * client finds it from the same settings that name the TCP port, with no lookup. The directory is
 * created 0700 and must be this user's; a path longer than {@link #MAX_PATH_BYTES} (the OS limit of a
 * socket address, less a margin) means no socket.
 *
 * <p><b>Lock.</b> The TCP port stays the lock. Only a claimer that holds the port may remove a file
 * left at the path (a resident killed with {@code kill -9} leaves one): the claim proves its owner
 * gone. Clients never remove it; they use it only when it belongs to this user, and fall back to TCP
 * with the proof when it is missing, stale or anybody else's.
 */
final class LocalSockets {
    /** {@code sun_path} holds 108 bytes on Linux and 104 on macOS, the terminating NUL included. */
    static final int MAX_PATH_BYTES = 100;

    private LocalSockets() {}

    /** The socket path of a resident with these settings, or {@code null} when it would be too long. */
    static Path pathFor(Registry registry, String service, String name, PortPolicy policy) {
        StringBuilder file = new StringBuilder(64).append(service);
        if (!name.isEmpty()) file.append('@').append(name);
        if (policy instanceof PortPolicy.Fixed f) {
            file.append("-p").append(f.port());
        } else if (policy instanceof PortPolicy.Range r) {
            file.append("-r").append(r.start()).append('-').append(r.end());
        }
        Path path = registry.socketDir().resolve(file.append(".sock").toString());
        return path.toString().getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES ? null : path;
    }

    /**
     * For the claimer that holds the port: makes the directory (0700, ours) and removes a file left at
     * {@code path}. {@code null}, with a warning, when the directory cannot be made private: the
     * resident then serves TCP only.
     */
    static Path prepare(Path path) {
        try {
            FilePermissions.ownerOnlyDirectory(path.getParent());
            Files.deleteIfExists(path);
            return path;
        } catch (IOException | RuntimeException e) {
            // Only a resident gets here: a client never loads the logging machinery (a few hundred classes).
            System.getLogger("dev.solo.core.LineServer")
                    .log(
                            Level.WARNING,
                            "no same-user socket at " + path + " (" + e.getMessage() + "); serving on TCP only");
            return null;
        }
    }

    /** Whether the file at {@code path} exists and belongs to this user (so this user's resident made it). */
    static boolean ours(Path path) {
        try {
            FilePermissions.checkOwned(path);
            return true;
        } catch (IOException | RuntimeException e) {
            return false; // missing, unreadable, or another user's
        }
    }
}
