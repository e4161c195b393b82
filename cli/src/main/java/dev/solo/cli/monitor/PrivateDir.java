package dev.solo.cli.monitor;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A directory of this user's own below a root this user owns (the state directory), for files another
 * program will load or map: SQLite's native library, a class-data-sharing archive. Nothing found there is
 * trusted for what it claims to be: every level below the root is created owner-only (0700), and one that
 * exists already must be a real directory (not a symbolic link to one) that this user owns; its mode is
 * then set to 0700. Anything else is refused, as it may have been planted by another user to make solo
 * load their library, or to read what solo writes. Where the file system has no POSIX permissions
 * (Windows), the user's profile folder is private already and only the directories are made.
 */
final class PrivateDir {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private PrivateDir() {}

    /**
     * {@code root/names[0]/names[1]/...}, each level made or checked as the class says. The root itself may
     * be a link (a user may link their state directory elsewhere) but must belong to this user.
     *
     * @throws IOException naming the path that is refused and why, or the one that could not be made
     */
    static Path of(Path root, String... names) throws IOException {
        if (!Files.isDirectory(root)) createOwnerOnly(root.toAbsolutePath().getParent(), root);
        boolean posix = Files.getFileAttributeView(root, PosixFileAttributeView.class) != null;
        String me = System.getProperty("user.name", "");
        if (posix && !Files.getOwner(root).getName().equals(me)) {
            throw new IOException(root + " belongs to " + Files.getOwner(root).getName() + ", not to " + me);
        }
        Path dir = root;
        for (String name : names) {
            dir = dir.resolve(name);
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) createOwnerOnly(dir.getParent(), dir);
            if (!posix) {
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) throw new IOException(dir + " is not a folder");
                continue;
            }
            PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isDirectory()) throw new IOException(dir + " is not a folder (a link or a file is in the way)");
            if (!a.owner().getName().equals(me)) {
                throw new IOException(dir + " belongs to " + a.owner().getName() + ", not to " + me);
            }
            if (!a.permissions().equals(OWNER_ONLY)) Files.setPosixFilePermissions(dir, OWNER_ONLY);
        }
        return dir;
    }

    /** Creates {@code dir} (its parent exists or is made as usual), owner-only where modes exist; a racer's is fine. */
    private static void createOwnerOnly(Path parent, Path dir) throws IOException {
        Files.createDirectories(parent);
        try {
            if (Files.getFileAttributeView(parent, PosixFileAttributeView.class) != null) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createDirectory(dir);
            }
        } catch (FileAlreadyExistsException raced) {
            // made meanwhile (another launcher), or planted: the caller checks what is there
        }
    }
}
