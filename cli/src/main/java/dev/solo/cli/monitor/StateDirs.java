package dev.solo.cli.monitor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Set;

/**
 * The monitor's folders in the state directory, {@code logs/} (what the monitor printed) and {@code
 * monitor/} (the event databases: every prompt, command and file of every session), made owner-only
 * (0700) as the state directory itself is: created so when missing, and tightened when found more open
 * (those made by earlier versions were 0755). A folder that belongs to another user is refused, never
 * changed: it may have been planted. Where the file system has no POSIX permissions (Windows) the user's
 * profile directory is owner-only already, and nothing is done.
 */
final class StateDirs {
    static final List<String> NAMES = List.of("logs", "monitor");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private StateDirs() {}

    /**
     * Makes {@code home}'s monitor folders owner-only.
     *
     * @throws IOException with the path and what to do, when a folder cannot be made, belongs to another
     *     user, or cannot be changed
     */
    static void ownerOnly(Path home) throws IOException {
        if (Files.getFileAttributeView(home, PosixFileAttributeView.class) == null) return;
        UserPrincipal owner = Files.getOwner(home); // the registry checked that the state directory is ours
        for (String name : NAMES) {
            Path dir = home.resolve(name);
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            }
            UserPrincipal has = Files.getOwner(dir);
            if (!has.equals(owner)) {
                throw new IOException(dir + " belongs to " + has.getName() + ", not to " + owner.getName()
                        + ", the owner of the state directory, so solo will not use it. Remove it (as root or "
                        + has.getName() + "), or set SOLO_HOME to a directory of yours.");
            }
            // createDirectories applies the umask too: set the mode itself, on new and old folders alike
            if (!Files.getPosixFilePermissions(dir).equals(OWNER_ONLY)) {
                Files.setPosixFilePermissions(dir, OWNER_ONLY);
            }
        }
    }
}
