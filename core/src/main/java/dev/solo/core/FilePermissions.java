package dev.solo.core;

import dev.solo.core.internal.Platform;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/**
 * Owner-only permissions for the registry directory (0700) and secret files (0600), and the rule that
 * every one of them belongs to the user running this JVM, root included: a directory or token that
 * another user owns may have been planted, and is refused with its path and owner. On file systems
 * without POSIX permissions (Windows) the per-user profile directory already is owner-only.
 */
final class FilePermissions {
    private static volatile UserPrincipal self;

    /** The modes, in a holder: a client that only checks an owner never builds them. */
    private static final class Modes {
        static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
        static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    }

    private FilePermissions() {}

    /**
     * Creates {@code dir} (and its parents) if needed, checks that it is ours, and makes it 0700. The
     * check comes before the {@code chmod}: root may change the mode of anybody's directory.
     */
    static void ownerOnlyDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (!posix(dir)) return;
        checkOwned(dir);
        Files.setPosixFilePermissions(dir, Modes.DIR);
    }

    static void ownerOnlyFile(Path file) throws IOException {
        if (posix(file)) Files.setPosixFilePermissions(file, Modes.FILE);
    }

    /**
     * Refuses a secret file that is not ours, or that other users can read or write: someone may have
     * planted or read it.
     */
    static void checkOwnerOnly(Path file) throws IOException {
        if (!posix(file)) return;
        checkOwned(file);
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        for (PosixFilePermission p : perms) {
            if (!Modes.FILE.contains(p) && p != PosixFilePermission.OWNER_EXECUTE) {
                throw new RegistryException(file + " is readable or writable by other users ("
                        + PosixFilePermissions.toString(perms) + "). Run 'chmod 600 " + file
                        + "' if you trust its content, or delete it to get a new one.");
            }
        }
    }

    /**
     * Refuses {@code path} (followed through links) when another user owns it.
     *
     * @throws RegistryException naming the path, its owner and this user
     */
    static void checkOwned(Path path) throws IOException {
        if (!posix(path)) return;
        int me = Platform.uid();
        if (me >= 0) {
            int owner = (Integer) Files.getAttribute(path, "unix:uid");
            if (owner != me) throw notYours(path, Files.getOwner(path).getName() + "' (uid " + owner + ")", me);
            return;
        }
        UserPrincipal owner = Files.getOwner(path);
        UserPrincipal mine = self();
        if (mine != null && !owner.equals(mine)) throw notYours(path, owner.getName() + "'", -1);
    }

    /** @param owner the owner's name and, where known, uid, as {@code name' (uid N)} */
    private static RegistryException notYours(Path path, String owner, int me) {
        String you = Platform.user() + (me >= 0 ? ", uid " + me : "");
        return new RegistryException(path + " belongs to user '" + owner + ", not to you (" + you
                + "), so solo will not trust it. Set SOLO_HOME to a directory of yours, or remove " + path
                + " if nobody should have put it there.");
    }

    /** This JVM's user as a principal, for systems where {@link Platform#uid()} is unknown. */
    private static UserPrincipal self() {
        UserPrincipal known = self;
        if (known != null) return known;
        try {
            known = java.nio.file.FileSystems.getDefault()
                    .getUserPrincipalLookupService()
                    .lookupPrincipalByName(Platform.user());
        } catch (IOException | UnsupportedOperationException e) {
            return null; // no name service: the mode checks still apply
        }
        self = known;
        return known;
    }

    /**
     * The bytes free for this user on the disk that holds {@code path} (or would: its nearest existing
     * parent), or -1 when that cannot be told. Tells "the disk is full" from "not allowed to write",
     * which need different remedies, without reading the OS's message text.
     */
    static long freeBytes(Path path) {
        for (Path p = path.toAbsolutePath(); p != null; p = p.getParent()) {
            if (!Files.exists(p)) continue;
            try {
                return Files.getFileStore(p).getUsableSpace();
            } catch (IOException | SecurityException e) {
                return -1;
            }
        }
        return -1;
    }

    /**
     * What went wrong with a file operation, in a few words fit for a one-line error: "permission
     * denied", "no such file or directory", "a file is in the way" (rather than the exception's class
     * name and a repeated path).
     */
    static String describe(IOException e) {
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof NoSuchFileException) return "no such file or directory";
        if (e instanceof FileAlreadyExistsException) return "a file that is not a directory is in the way";
        if (e instanceof NotDirectoryException) return "a file that is not a directory is in the way";
        if (e instanceof FileSystemException f && f.getReason() != null)
            return f.getReason().toLowerCase(java.util.Locale.ROOT);
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static boolean posix(Path path) {
        return Files.getFileAttributeView(path, PosixFileAttributeView.class) != null;
    }
}
