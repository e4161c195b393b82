package dev.solo.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Owner-only permissions for the registry directory (0700) and secret files (0600). On file systems
 * without POSIX permissions (Windows) the per-user profile directory already is owner-only.
 */
final class FilePermissions {
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private FilePermissions() {}

    static void ownerOnlyDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (posix(dir)) Files.setPosixFilePermissions(dir, DIR);
    }

    static void ownerOnlyFile(Path file) throws IOException {
        if (posix(file)) Files.setPosixFilePermissions(file, FILE);
    }

    /** Refuses a secret file that other users can read or write: someone may have planted or read it. */
    static void checkOwnerOnly(Path file) throws IOException {
        if (!posix(file)) return;
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        for (PosixFilePermission p : perms) {
            if (!FILE.contains(p) && p != PosixFilePermission.OWNER_EXECUTE) {
                throw new RegistryException(file + " is readable or writable by other users ("
                        + PosixFilePermissions.toString(perms) + "). Run 'chmod 600 " + file
                        + "' if you trust its content, or delete it to get a new one.");
            }
        }
    }

    private static boolean posix(Path path) {
        return Files.getFileAttributeView(path, PosixFileAttributeView.class) != null;
    }
}
