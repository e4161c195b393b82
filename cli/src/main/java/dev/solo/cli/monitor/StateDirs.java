package dev.solo.cli.monitor;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
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
public final class StateDirs {
    static final List<String> NAMES = List.of("logs", "monitor");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

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

    /**
     * Creates {@code file} 0600 when missing, and makes it 0600 when others may read it: a log of what a
     * resident printed (its errors quote paths, commands and hook payloads) is the user's business only,
     * even when copied out of the 0700 folder. Nothing is done where there are no POSIX modes.
     *
     * @throws IOException when the file cannot be created or its mode cannot be changed
     */
    public static void ownerOnlyFile(Path file) throws IOException {
        if (Files.getFileAttributeView(file.toAbsolutePath().getParent(), PosixFileAttributeView.class) == null) return;
        try {
            if (!Files.exists(file)) {
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
                } catch (FileAlreadyExistsException raced) {
                    // another launcher made it first: tightened below
                }
            }
            if (!OWNER_ONLY_FILE.containsAll(Files.getPosixFilePermissions(file))) {
                Files.setPosixFilePermissions(file, OWNER_ONLY_FILE);
            }
        } catch (IOException e) {
            String why = e instanceof AccessDeniedException
                    ? "permission denied"
                    : e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
            throw new IOException("cannot make " + file + " readable by its owner only (" + why + "). Check that it"
                    + " is yours and the disk is not full, or remove it; nothing was started.");
        }
    }
}
