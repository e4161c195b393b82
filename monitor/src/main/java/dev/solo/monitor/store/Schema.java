package dev.solo.monitor.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/** The SQL of the event database, in one place. */
final class Schema {
    private Schema() {}

    static final String[] DDL = {
        "CREATE TABLE IF NOT EXISTS events ("
                + " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                + " received INTEGER NOT NULL,"
                + " stream TEXT NOT NULL,"
                + " event TEXT NOT NULL,"
                + " tool TEXT, tool_use_id TEXT, agent_id TEXT, file TEXT,"
                + " source TEXT NOT NULL,"
                + " cut INTEGER NOT NULL DEFAULT 0,"
                + " json TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS events_stream ON events(stream, id)",
        "CREATE INDEX IF NOT EXISTS events_event ON events(event, id)",
        // A page of one stream filtered by event name (and the Files view): without it SQLite, having
        // no statistics, walks the event index and takes 30-70 ms at a million events instead of 0.1.
        "CREATE INDEX IF NOT EXISTS events_stream_event ON events(stream, event, id)",
        // No index on received: retention finds old events through Timeline (late_events and the ids' order).
        Timeline.DDL,
        "CREATE TABLE IF NOT EXISTS streams ("
                + " id TEXT PRIMARY KEY, title TEXT, cwd TEXT, first INTEGER NOT NULL, last INTEGER NOT NULL,"
                + " events INTEGER NOT NULL, last_event TEXT, waiting TEXT, waiting_since INTEGER NOT NULL DEFAULT 0,"
                + " ended INTEGER NOT NULL DEFAULT 0)"
    };

    /**
     * With the id: the store assigns it when it acknowledges the event ({@link GroupCommit}). The payload is
     * bound as the UTF-8 bytes the inbox record already holds and stored as TEXT: the same bytes and type
     * {@code setString} stores, which would encode the payload a second time.
     */
    static final String INSERT_EVENT = "INSERT INTO events"
            + " (id, received, stream, event, tool, tool_use_id, agent_id, file, source, cut, json)"
            + " VALUES (?,?,?,?,?,?,?,?,?,?,CAST(? AS TEXT))";

    /** Columns added after the first release, with their type: added to older databases at open. */
    static final String[][] ADDED_COLUMNS = {{"streams", "waiting_event", "TEXT"}};

    static final String UPSERT_STREAM = "INSERT OR REPLACE INTO streams"
            + " (id, title, cwd, first, last, events, last_event, waiting, waiting_since, ended, waiting_event)"
            + " VALUES (?,?,?,?,?,?,?,?,?,?,?)";

    static final String UPDATE_STREAM = "UPDATE streams SET title = ?, cwd = ?, first = ?, last = ?, events = ?,"
            + " last_event = ?, waiting = ?, waiting_since = ?, ended = ?, waiting_event = ? WHERE id = ?";

    static final String SELECT_STREAMS = "SELECT id, title, cwd, first, last, events, last_event, waiting,"
            + " waiting_since, ended, waiting_event FROM streams";

    static final String SELECT_EVENTS =
            "SELECT id, received, stream, event, tool, tool_use_id, agent_id, file, source, cut, json FROM events";

    static PreparedStatement bindStream(PreparedStatement ps, StreamInfo s) throws SQLException {
        ps.setString(1, s.id());
        setNullable(ps, 2, s.title());
        setNullable(ps, 3, s.cwd());
        ps.setLong(4, s.firstMillis());
        ps.setLong(5, s.lastMillis());
        ps.setLong(6, s.events());
        setNullable(ps, 7, s.lastEvent());
        setNullable(ps, 8, s.waitingReason());
        ps.setLong(9, s.waitingSince());
        ps.setInt(10, s.ended() ? 1 : 0);
        setNullable(ps, 11, s.lastWaitingEvent());
        return ps;
    }

    /** Binds {@link #UPDATE_STREAM}: the same values as {@link #bindStream}, the id last. */
    static PreparedStatement bindStreamUpdate(PreparedStatement ps, StreamInfo s) throws SQLException {
        setNullable(ps, 1, s.title());
        setNullable(ps, 2, s.cwd());
        ps.setLong(3, s.firstMillis());
        ps.setLong(4, s.lastMillis());
        ps.setLong(5, s.events());
        setNullable(ps, 6, s.lastEvent());
        setNullable(ps, 7, s.waitingReason());
        ps.setLong(8, s.waitingSince());
        ps.setInt(9, s.ended() ? 1 : 0);
        setNullable(ps, 10, s.lastWaitingEvent());
        ps.setString(11, s.id());
        return ps;
    }

    static StreamInfo stream(ResultSet rs) throws SQLException {
        return new StreamInfo(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getLong(4),
                rs.getLong(5),
                rs.getLong(6),
                rs.getString(7),
                rs.getString(8),
                rs.getLong(9),
                rs.getInt(10) != 0,
                rs.getString(11));
    }

    /** Adds the {@link #ADDED_COLUMNS} a database made by an older version lacks. */
    static void migrate(java.sql.Connection c) throws SQLException {
        for (String[] col : ADDED_COLUMNS) {
            boolean has = false;
            try (java.sql.Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("PRAGMA table_info(" + col[0] + ")")) {
                while (rs.next()) has |= rs.getString("name").equalsIgnoreCase(col[1]);
            }
            if (!has) {
                try (java.sql.Statement s = c.createStatement()) {
                    s.execute("ALTER TABLE " + col[0] + " ADD COLUMN " + col[1] + " " + col[2]);
                }
            }
        }
    }

    static StoredEvent event(ResultSet rs) throws SQLException {
        return new StoredEvent(
                rs.getLong(1),
                rs.getLong(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                rs.getString(8),
                rs.getString(9),
                rs.getLong(10),
                rs.getString(11));
    }

    private static void setNullable(PreparedStatement ps, int i, String v) throws SQLException {
        if (v == null) ps.setNull(i, Types.VARCHAR);
        else ps.setString(i, v);
    }
}
