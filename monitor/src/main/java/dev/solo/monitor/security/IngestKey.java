package dev.solo.monitor.security;

import dev.solo.core.RegistryException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * The per-user ingest key: what Claude Code's hooks carry instead of the token. It opens only the
 * routes that append events; it cannot read events, open the dashboard, stop the monitor or delegate
 * to any resident. So a settings file, or a program squatting on the monitor's port (it receives what
 * the hooks send), holds nothing that acts.
 *
 * <p><b>The file.</b> {@code <solo home>/}{@value #FILE}, mode 0600, owned by the user, created on first
 * use. It holds one HTTP header line, {@code Authorization: Bearer solo-ingest-<64 hex>}, so the curl
 * command hook sends it as it is with {@code curl -H @<file>} and the key never appears on a command
 * line. A file that another user owns, or that others may read or write, is refused: someone may have
 * planted or read it.
 *
 * <p><b>Rotation.</b> {@link #rotate} writes a new key to a temporary file and renames it over the old
 * one, so readers see the old key or the new one, never a half-written file. Monitors re-read the file
 * when it changes; hooks that still carry the old key are refused until they are rewritten.
 *
 * <p>Immutable and thread-safe; {@link #toString()} never shows the key.
 */
public final class IngestKey {
    /** The file name inside the solo home. */
    public static final String FILE = "ingest-key";
    /** Every ingest key starts with this, so it is never mistaken for the token (64 bare hex digits). */
    public static final String PREFIX = "solo-ingest-";

    private static final String HEADER = "Authorization: Bearer ";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final String value;
    private final Path file;

    private IngestKey(String value, Path file) {
        if (!isKeyText(value)) {
            throw new RegistryException("the ingest key file " + file + " does not hold a key ('" + HEADER + PREFIX
                    + "' and 64 hex digits). Run 'solo monitor token --rotate-ingest': it makes a new one and puts it into"
                    + " every settings file solo installed hooks into.");
        }
        this.value = value;
        this.file = file;
    }

    /** Whether {@code text} has the form of an ingest key: the prefix and 64 lowercase hex digits. */
    public static boolean isKeyText(String text) {
        if (text == null || text.length() != PREFIX.length() + 64 || !text.startsWith(PREFIX)) return false;
        for (int i = PREFIX.length(); i < text.length(); i++) {
            char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
        }
        return true;
    }

    /** Where the key of the solo home {@code home} lives. */
    public static Path fileIn(Path home) {
        return home.resolve(FILE);
    }

    /**
     * The key in {@code home}, created (0600, atomically: concurrent first uses agree on one key) when
     * there is none yet.
     *
     * @throws RegistryException with the path when the file cannot be created, read or trusted
     */
    public static IngestKey loadOrCreate(Path home) {
        Path file = fileIn(home);
        try {
            if (Files.exists(file)) return read(file);
            createHome(home);
            Path tmp = writeTemp(home);
            try {
                Files.createLink(file, tmp); // the atomic "create if absent": a loser reads the winner's key
            } catch (FileAlreadyExistsException raced) {
                // someone else created it first; read theirs
            } catch (UnsupportedOperationException | IOException noLinks) {
                if (!Files.exists(file)) Files.move(tmp, file);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return read(file);
        } catch (IOException e) {
            throw new RegistryException("cannot create the ingest key file " + file + " (" + why(e)
                    + "). Free some space or make the directory writable by you, or set SOLO_HOME to a directory that"
                    + " is.");
        }
    }

    /** Replaces the key in {@code home} with a new one (atomic rename) and returns it. */
    public static IngestKey rotate(Path home) {
        Path file = fileIn(home);
        try {
            createHome(home);
            Path tmp = writeTemp(home);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return read(file);
        } catch (IOException e) {
            throw new RegistryException("cannot write the ingest key file " + file + " (" + why(e)
                    + "); the key was not changed. Free some space or make the directory writable by you, or set"
                    + " SOLO_HOME to a directory that is.");
        }
    }

    /**
     * Reads an existing key file.
     *
     * @throws RegistryException when it is not the user's own owner-only file, or holds no key
     */
    static IngestKey read(Path file) throws IOException {
        checkOwnerOnly(file);
        String line = Files.readString(file, StandardCharsets.US_ASCII).strip();
        String value = line.startsWith(HEADER) ? line.substring(HEADER.length()).strip() : "";
        return new IngestKey(value, file);
    }

    /** What went wrong, without the exception's class name: a full disk says "No space left on device". */
    private static String why(IOException e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** A solo home that does not exist yet is created owner-only (0700), as solo-core creates it. */
    private static void createHome(Path home) throws IOException {
        if (Files.isDirectory(home)) return;
        if (home.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectories(
                    home, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(home);
        }
    }

    private static Path writeTemp(Path home) throws IOException {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        Path tmp = Files.createTempFile(home, ".ingest-key-", ".tmp");
        try {
            if (posix(tmp)) Files.setPosixFilePermissions(tmp, OWNER_ONLY);
            Files.writeString(tmp, HEADER + PREFIX + HexFormat.of().formatHex(bytes) + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) { // a full disk: no empty temporary file left behind
            Files.deleteIfExists(tmp);
            throw e;
        }
        return tmp;
    }

    private static void checkOwnerOnly(Path file) throws IOException {
        if (!posix(file)) return; // Windows: the per-user profile directory is private already
        String owner = Files.getOwner(file).getName();
        String me = System.getProperty("user.name");
        if (!owner.equals(me)) {
            throw new RegistryException("the ingest key file " + file + " belongs to user '" + owner
                    + "', not to you ('"
                    + me + "'); it may have been planted. Check SOLO_HOME, or delete the file and run 'solo monitor"
                    + " token --rotate-ingest' to make your own and put it into every settings file solo installed"
                    + " hooks into.");
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        for (PosixFilePermission p : perms) {
            if (!OWNER_ONLY.contains(p)) {
                throw new RegistryException("the ingest key file " + file + " is open to other users ("
                        + PosixFilePermissions.toString(perms) + "). Run 'chmod 600 " + file
                        + "' if you trust it, or run 'solo monitor token --rotate-ingest' for a new key in every settings file solo"
                        + " installed hooks into.");
            }
        }
    }

    private static boolean posix(Path path) {
        return Files.getFileAttributeView(path, PosixFileAttributeView.class) != null;
    }

    /** The key itself, for a hook's header. */
    public String value() {
        return value;
    }

    /** The file it was read from; the curl hook sends it with {@code -H @<file>}. */
    public Path file() {
        return file;
    }

    /** Whether {@code presented} is this key; constant-time. */
    public boolean matches(String presented) {
        if (presented == null) return false;
        return MessageDigest.isEqual(
                value.getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "IngestKey[" + file + ", ****]";
    }
}
