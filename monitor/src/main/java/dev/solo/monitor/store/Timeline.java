package dev.solo.monitor.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;

/**
 * Finds the events older than a time without an index on every event's time: retention by age, exact, with
 * nothing on a live hook's insert beyond the row and its other indexes.
 *
 * <p><b>The rule.</b> An event is <i>late</i> when its time is earlier than the time of some event stored
 * before it (a higher id): imported history ({@link NewEvent#occurredMillis()}), or a live event after the
 * wall clock stepped back. Late events are listed with their time in {@code late_events}, keyed by time.
 * Every other event's time is at least that of every event stored before it. So, once the late events older
 * than a cut-off are deleted, what is left is ordered: no remaining event older than the cut-off follows one
 * that is not (a late event's time is below the time of every later event that is not late). The old rest is
 * then a prefix of the ids, found by a binary search that reads one row by id per step.
 *
 * <p>Marking more events late than necessary is safe; marking fewer is not. So the writer's
 * {@link #latest} must start at or above every stored event's time: at open it is the latest time of any
 * stream ({@code streams.last}), which is the latest of its events'.
 *
 * <p><b>Older stores</b> kept an index on every event's time ({@code events_received}). {@link #migrate}
 * lists their late events from it once, then drops it.
 *
 * <p>Not thread-safe: the writer's thread.
 */
final class Timeline {
    static final String OLD_INDEX = "events_received";

    static final String DDL = "CREATE TABLE IF NOT EXISTS late_events (received INTEGER NOT NULL,"
            + " id INTEGER NOT NULL, PRIMARY KEY (received, id)) WITHOUT ROWID";

    static final String INSERT_LATE = "INSERT OR IGNORE INTO late_events (received, id) VALUES (?, ?)";

    /**
     * The events of an older store that are late, from its index on {@code received}: walked newest first,
     * an event is late when an event with a later time has a lower id. A covering index walk, no table read.
     */
    private static final String LIST_LATE = "INSERT OR IGNORE INTO late_events (received, id)"
            + " SELECT received, id FROM (SELECT id, received, MIN(id) OVER (ORDER BY received DESC"
            + " RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before FROM events INDEXED BY "
            + OLD_INDEX + ") WHERE before < id";

    private long latest;

    /** {@code latest}: at or above the time of every event stored so far. */
    Timeline(long latest) {
        this.latest = latest;
    }

    /** The timeline of a store: every event's time is at most its stream's last, and the last event's is its own. */
    static Timeline of(Connection c, Collection<StreamInfo> streams) throws SQLException {
        long latest = 0;
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT received FROM events ORDER BY id DESC LIMIT 1")) {
            if (rs.next()) latest = rs.getLong(1);
        }
        for (StreamInfo s : streams) latest = Math.max(latest, s.lastMillis());
        return new Timeline(latest);
    }

    /** Whether an event with time {@code at}, stored next, is late. */
    boolean late(long at) {
        return at < latest;
    }

    /** An event with time {@code at} was stored (its transaction committed). */
    void stored(long at) {
        latest = Math.max(latest, at);
    }

    long latest() {
        return latest;
    }

    /**
     * Lists the late events of a store made by an older version and drops its index on {@code received},
     * within the connection's open transaction; does nothing when there is no such index. Run again after an
     * older version opened the store (it creates the index again): it lists the events that version added.
     *
     * @return whether the store was migrated (then said on stderr, with the time it took)
     */
    static boolean migrate(Connection c, Path file) throws SQLException {
        long started = System.nanoTime();
        try (PreparedStatement ps =
                c.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?")) {
            ps.setString(1, OLD_INDEX);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return false;
            }
        }
        try (Statement s = c.createStatement()) {
            s.executeUpdate(LIST_LATE);
            s.execute("DROP INDEX " + OLD_INDEX);
        }
        System.err.println("solo-monitor: " + file + " now finds old events without the index " + OLD_INDEX + " ("
                + (System.nanoTime() - started) / 1_000_000 + " ms, once)");
        return true;
    }

    /** Forgets the late events below the first id left, after events were deleted oldest first (for size). */
    static void forgetDeleted(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM late_events WHERE id < (SELECT COALESCE(MIN(id), " + Long.MAX_VALUE
                    + ") FROM events)");
        }
    }

    /**
     * Deletes every event whose time is before {@code cutoff}, in the connection's open transaction: the late
     * ones by {@code late_events}, the rest as the prefix of ids a binary search finds.
     *
     * @return how many events were deleted
     */
    static int deleteBefore(Connection c, long cutoff) throws SQLException {
        int deleted;
        try (PreparedStatement late = c.prepareStatement(
                        "DELETE FROM events WHERE id IN (SELECT id FROM late_events WHERE received < ?)");
                PreparedStatement listed = c.prepareStatement("DELETE FROM late_events WHERE received < ?")) {
            late.setLong(1, cutoff);
            deleted = late.executeUpdate();
            listed.setLong(1, cutoff);
            listed.executeUpdate();
        }
        long keepFrom = firstAtOrAfter(c, cutoff);
        // Every event below keepFrom is older than the cut-off (the class's rule); "received < ?" only guards
        // a store whose rule was broken (edited by hand) from losing younger events.
        try (PreparedStatement old = c.prepareStatement("DELETE FROM events WHERE id < ? AND received < ?")) {
            old.setLong(1, keepFrom);
            old.setLong(2, cutoff);
            deleted += old.executeUpdate();
        }
        return deleted;
    }

    /**
     * The id of the first event whose time is at or after {@code cutoff}, once no late event is older than
     * it; one past the last id when every event is older, 0 when there is none.
     */
    private static long firstAtOrAfter(Connection c, long cutoff) throws SQLException {
        try (PreparedStatement next =
                c.prepareStatement("SELECT id, received FROM events WHERE id >= ? ORDER BY id LIMIT 1")) {
            long[] first = row(next, Long.MIN_VALUE);
            if (first == null || first[1] >= cutoff) return 0;
            long[] last;
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT id, received FROM events ORDER BY id DESC LIMIT 1")) {
                rs.next();
                last = new long[] {rs.getLong(1), rs.getLong(2)};
            }
            if (last[1] < cutoff) return last[0] + 1;
            // the first row at or after lo is older than the cut-off, the first at or after hi is not
            long lo = first[0];
            long hi = last[0];
            while (hi - lo > 1) {
                long mid = lo + (hi - lo) / 2;
                long[] r = row(next, mid);
                if (r[1] >= cutoff) hi = mid;
                else lo = r[0]; // the rows from mid to r's id: r is the first of them
            }
            return row(next, hi)[0];
        }
    }

    /** The first row (id, received) with an id at or above {@code from}, or null. */
    private static long[] row(PreparedStatement next, long from) throws SQLException {
        next.setLong(1, from);
        try (ResultSet rs = next.executeQuery()) {
            return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : null;
        }
    }
}
