package dev.solo.cli.monitor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Whether the server may use the files kept beside its jar ({@link ChildJvm#ARCHIVE}, the class-data
 * archive, and {@link ChildJvm#NATIVE}, SQLite's native library): only when the jar's directory belongs to
 * this user and no other user may write to it.
 *
 * <p>Otherwise (a jar copied to {@code /tmp} or to a group-writable folder) another local user can put a
 * library there first, newer than the jar, which the server would load and run as this user; or an archive
 * the JVM would map as this build's classes; or a link where the JVM writes the archive at exit. Tried as
 * {@code nobody} against a jar in a sticky {@code /tmp}-like directory: the planted library's constructor
 * ran in the victim's server. The server then runs without them, which costs its start some speed only.
 */
final class JarSide {
    private static final Set<PosixFilePermission> OTHERS_WRITE =
            Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    private JarSide() {}

    /** Whether {@code jar}'s directory is this user's and only this user's to write; see the class. */
    static boolean trusted(Path jar) {
        Path dir = jar.toAbsolutePath().getParent();
        if (dir == null) return false;
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(dir, PosixFileAttributes.class);
        } catch (UnsupportedOperationException e) {
            return true; // no POSIX owners and modes (Windows): the folder's ACL is the OS's business
        } catch (IOException | SecurityException e) {
            return false;
        }
        return attributes.owner().getName().equals(System.getProperty("user.name"))
                && attributes.permissions().stream().noneMatch(OTHERS_WRITE::contains);
    }
}
