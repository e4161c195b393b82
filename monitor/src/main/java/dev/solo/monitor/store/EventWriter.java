package dev.solo.monitor.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The writer's connection: writes a batch of events in one transaction, keeps the streams table and
 * its in-memory copy, and applies retention.
 *
 * <p><b>Failures</b> (a full disk: {@code SQLITE_FULL}). SQLite may roll a transaction back by itself on
 * such an error, or report an error after the commit is already durable (the checkpoint that follows a
 * commit found the disk full), and the JDBC driver's own transaction bookkeeping does not survive
 * either. So after any failure the writer closes its connection (SQLite rolls back what it left open),
 * opens a fresh one, and looks up whether the batch's rows are there: if they are, the batch succeeded.
 * The next batch starts clean, so writes recover by themselves once there is space again.
 *
 * <p>Not thread-safe: one thread ({@link GroupCommit}'s writer thread; at open and close, the caller)
 * calls {@link #write}, {@link #maybeRetention} and {@link #close}; {@link #lastId} and {@link #streams}
 * may be read by any thread.
 */
final class EventWriter {
    private final Path file;
    private final Clock clock;
    private final Retention retention;
    private final Properties settings;
    private final Map<String, StreamInfo> streams = new ConcurrentHashMap<>();
    /** Null while broken (after a failure whose reopen failed too); the next write opens it again. */
    private Connection conn;

    private PreparedStatement insert;
    private PreparedStatement upsert;
    private PreparedStatement update;
    private PreparedStatement late;
    private Timeline timeline;
    private volatile long lastId;
    private long nextRetention;

    /** Opens the writer's connection, creates the schema, loads the streams and applies retention. */
    EventWriter(Path file, Clock clock, Retention retention, Properties settings) throws SQLException {
        this.file = file;
        this.clock = clock;
        this.retention = retention;
        this.settings = settings;
        open();
        try {
            loadStreams();
            // the highest id ever stored (sqlite_sequence remembers it after retention emptied the table)
            lastId = queryLong("SELECT MAX(COALESCE(MAX(id), 0), COALESCE((SELECT seq FROM sqlite_sequence"
                    + " WHERE name = 'events'), 0)) FROM events");
            timeline = Timeline.of(conn, streams.values());
            applyRetention();
        } catch (SQLException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Opens the connection: WAL, the schema, a transaction begun, the statements prepared. */
    private void open() throws SQLException {
        Connection c = Database.writer(file, settings);
        try {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL");
                // Hook ingest commits a few events at a time; the default checkpoint every 1,000 WAL pages
                // ran every 100-200 commits and stalled every request in flight (ingest p99 5.8 ms; 1.7 ms
                // with this). The WAL grows to ~40 MB between checkpoints.
                s.execute("PRAGMA wal_autocheckpoint=10000");
                for (String ddl : Schema.DDL) s.execute(ddl);
                Schema.migrate(c);
            }
            c.setAutoCommit(false);
            Timeline.migrate(c, file);
            c.commit();
            insert = c.prepareStatement(Schema.INSERT_EVENT);
            late = c.prepareStatement(Timeline.INSERT_LATE);
            upsert = c.prepareStatement(Schema.UPSERT_STREAM);
            update = c.prepareStatement(Schema.UPDATE_STREAM);
        } catch (SQLException | RuntimeException e) {
            Database.closeQuietly(c);
            throw e;
        }
        conn = c;
    }

    /** After a failure: drops the connection and opens a fresh one; when that fails the next write retries. */
    private void reopen() {
        if (conn != null) Database.closeQuietly(conn);
        conn = null;
        try {
            open();
        } catch (SQLException | RuntimeException e) {
            System.err.println("solo-monitor: cannot reopen the event database " + file + ": " + e.getMessage()
                    + "; the next write tries again");
        }
    }

    Path file() {
        return file;
    }

    /** The highest id stored, 0 when nothing ever was. Any thread. */
    long lastId() {
        return lastId;
    }

    /** Every stream's summary as of the last commit, by id. Any thread; do not modify. */
    Map<String, StreamInfo> streams() {
        return streams;
    }

    /**
     * Writes {@code events} (acknowledged, in id order, each with its id and time) in one transaction and
     * commits it.
     *
     * @return the stored events, in the order given
     * @throws StoreException when none of them was stored (the message says so and what to check)
     */
    List<StoredEvent> write(List<Accepted> events) {
        List<StoredEvent> stored = new ArrayList<>(events.size());
        Map<String, StreamInfo> touched = new LinkedHashMap<>();
        long latest = timeline.latest();
        try {
            if (conn == null) open();
            for (Accepted a : events) {
                NewEvent e = a.event();
                insert.setLong(1, a.id());
                insert.setLong(2, a.at());
                insert.setString(3, e.stream());
                insert.setString(4, e.event());
                insert.setString(5, e.tool());
                insert.setString(6, e.toolUseId());
                insert.setString(7, e.agentId());
                insert.setString(8, e.file());
                insert.setString(9, e.source());
                insert.setLong(10, e.cut());
                insert.setBytes(11, a.json()); // the inbox record's bytes; the SQL casts them to TEXT
                insert.executeUpdate();
                if (a.at() < latest) {
                    late.setLong(1, a.at());
                    late.setLong(2, a.id());
                    late.executeUpdate();
                }
                latest = Math.max(latest, a.at());
                stored.add(a.stored());
                StreamInfo prev = touched.containsKey(e.stream()) ? touched.get(e.stream()) : streams.get(e.stream());
                touched.put(e.stream(), StreamTracker.apply(prev, e, a.at()));
            }
            // An UPDATE rewrites the stream's row in place; REPLACE deleted and re-inserted it, touching the
            // table and its key index twice in every commit. REPLACE only for a stream's first event.
            for (StreamInfo s : touched.values()) {
                if (Schema.bindStreamUpdate(update, s).executeUpdate() == 0)
                    Schema.bindStream(upsert, s).executeUpdate();
            }
            conn.commit();
        } catch (SQLException | RuntimeException ex) {
            reopen();
            if (events.isEmpty() || stored.size() != events.size() || !present(stored)) {
                throw new StoreException(
                        "cannot write to the event database " + file + ": " + ex.getMessage()
                                + ". Check the disk space and the file's permissions.",
                        ex);
            }
            // SQLite reported the error after the commit was durable: the batch is stored.
            System.err.println("solo-monitor: the database reported '" + ex.getMessage() + "' after a commit that"
                    + " went through; " + stored.size() + " events are stored");
        }
        streams.putAll(touched);
        timeline.stored(latest);
        if (!stored.isEmpty()) lastId = stored.get(stored.size() - 1).id();
        return stored;
    }

    /** Whether every row of {@code rows} is in the database, read on a fresh connection. */
    private boolean present(List<StoredEvent> rows) {
        if (conn == null) return false;
        try (PreparedStatement ps = conn.prepareStatement("SELECT COUNT(*) FROM events WHERE id BETWEEN ? AND ?")) {
            ps.setLong(1, rows.get(0).id());
            ps.setLong(2, rows.get(rows.size() - 1).id());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getLong(1) == rows.size();
            }
        } catch (SQLException e) {
            return false;
        }
    }

    /** Applies retention when {@link Retention#checkEvery()} has passed since the last pass. */
    void maybeRetention() {
        if (clock.millis() < nextRetention) return;
        try {
            if (conn == null) open();
            applyRetention();
        } catch (SQLException e) {
            System.err.println("solo-monitor: retention failed on " + file + ": " + e);
            reopen();
        }
    }

    /**
     * Deletes by age, then oldest-first while over the size bound, then the streams left empty; the other
     * streams' event counts are then counted again.
     */
    private void applyRetention() throws SQLException {
        nextRetention = clock.millis() + retention.checkEvery().toMillis();
        long deleted =
                Timeline.deleteBefore(conn, clock.millis() - retention.maxAge().toMillis());
        boolean shrunk = false;
        while (liveBytes() > retention.maxBytes()) {
            shrunk = true;
            long count = queryLong("SELECT COUNT(*) FROM events");
            if (count == 0) break;
            long chunk = Math.max(1000, count / 10);
            try (PreparedStatement del = conn.prepareStatement(
                    "DELETE FROM events WHERE id IN (SELECT id FROM events ORDER BY id LIMIT ?)")) {
                del.setLong(1, chunk);
                deleted += del.executeUpdate();
            }
            conn.commit();
        }
        if (shrunk) Timeline.forgetDeleted(conn);
        // One index seek per stream; "NOT IN (SELECT DISTINCT stream FROM events)" read the whole stream
        // index (every event) at each start and retention pass.
        try (PreparedStatement del = conn.prepareStatement(
                "DELETE FROM streams WHERE NOT EXISTS (SELECT 1 FROM events WHERE events.stream = streams.id)")) {
            int gone = del.executeUpdate();
            if (gone > 0) {
                streams.clear();
                conn.commit();
                loadStreams();
            }
        }
        if (deleted > 0) {
            // the streams that kept some events count only those (solo monitor list, the board's cards); one
            // pass over the stream index, only after a pass that deleted something
            try (Statement s = conn.createStatement()) {
                s.executeUpdate("UPDATE streams SET events = (SELECT COUNT(*) FROM events WHERE events.stream"
                        + " = streams.id)");
            }
            conn.commit();
            loadStreams();
        }
        conn.commit();
    }

    private long liveBytes() throws SQLException {
        long pages = queryLong("PRAGMA page_count");
        long free = queryLong("PRAGMA freelist_count");
        long size = queryLong("PRAGMA page_size");
        return (pages - free) * size;
    }

    private long queryLong(String sql) throws SQLException {
        try (Statement s = conn.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private void loadStreams() throws SQLException {
        try (Statement s = conn.createStatement();
                ResultSet rs = s.executeQuery(Schema.SELECT_STREAMS)) {
            while (rs.next()) {
                StreamInfo info = Schema.stream(rs);
                streams.put(info.id(), info);
            }
        }
    }

    /** Closes the connection (SQLite rolls back a transaction left open). */
    void close() {
        if (conn != null) Database.closeQuietly(conn);
        conn = null;
    }
}
