package dev.solo.monitor.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Opens connections to one event database file: the writer's, and the readers' (read-only, small cache). */
final class Database {
    /**
     * SQLite's page cache per reader connection, in KiB (SQLite's default is 2,000). Readers walk an
     * index and a page of rows; the OS page cache holds the file anyway, and five default caches were a
     * tenth of the monitor's memory once a million events had been read through them.
     */
    static final int READER_CACHE_KIB = 512;

    private Database() {}

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
