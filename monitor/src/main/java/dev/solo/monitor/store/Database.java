package dev.solo.monitor.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.Set;

/** Opens connections to one event database file: the writer's, and the readers' (read-only, small cache). */
final class Database {
    /**
     * SQLite's page cache per reader connection, in KiB (SQLite's default is 2,000). Readers walk an
     * index and a page of rows; the OS page cache holds the file anyway, and five default caches were a
     * tenth of the monitor's memory once a million events had been read through them.
     */
    static final int READER_CACHE_KIB = 512;

    /** sqlite-jdbc's switch ({@code SQLiteConfig.Pragma.JDBC_GET_GENERATED_KEYS}) for {@code getGeneratedKeys}. */
    static final String GENERATED_KEYS = "jdbc.get_generated_keys";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private Database() {}

    /**
     * Makes the database owner-only (0600) before SQLite opens it: it holds every prompt, command and file
     * of every session. A missing file is created so (SQLite gives the {@code -wal} and {@code -shm} files it
     * makes the main file's mode; left to itself it makes all three 0644); an existing one, and those two,
     * are tightened when others may read them (files made by earlier versions). The folder being 0700
     * already keeps other users out; this keeps them out of a copy, a backup, or a database moved or
     * linked elsewhere. Where the file system has no POSIX modes, nothing is done.
     *
     * @throws IOException when the file cannot be created or its mode cannot be changed
     */
    static void ownerOnly(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (Files.getFileAttributeView(dir, PosixFileAttributeView.class) == null) return;
        if (!Files.exists(file)) {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (FileAlreadyExistsException raced) {
                // another process made it first, or a link to a missing file: tightened below if it exists
            }
        }
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Path f = suffix.isEmpty() ? file : file.resolveSibling(file.getFileName() + suffix);
            // createFile applies the umask too, which may leave less than 0600 but never more
            if (Files.exists(f) && !OWNER_ONLY.containsAll(Files.getPosixFilePermissions(f))) {
                Files.setPosixFilePermissions(f, OWNER_ONLY);
            }
        }
    }

    /** The writer's connection, with {@code settings} (such as {@code max_page_count}) applied. */
    static Connection writer(Path file, Properties settings) throws SQLException {
        return open(file, false, settings);
    }

    /** A read-only connection with a {@value #READER_CACHE_KIB} KiB page cache. */
    static Connection reader(Path file) throws SQLException {
        return open(file, true, new Properties());
    }

    private static Connection open(Path file, boolean readOnly, Properties settings) throws SQLException {
        Properties p = new Properties();
        p.putAll(settings);
        if (readOnly) {
            p.setProperty("open_mode", "1");
            p.setProperty("cache_size", Integer.toString(-READER_CACHE_KIB));
        }
        p.setProperty("busy_timeout", "5000");
        // No statement of ours reads getGeneratedKeys (an event's id is given, not generated). Left on, the
        // driver follows every INSERT with a regex match on its SQL and a fresh "SELECT last_insert_rowid()"
        // (a statement prepared, run and closed): a fifth of the writer thread's CPU per event.
        p.setProperty(GENERATED_KEYS, "false");
        return DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), p);
    }

    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing at shutdown or after a failure: nothing left to do with it
        }
    }
}
