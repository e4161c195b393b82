package dev.solo.monitor.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The event database's queries, on a pool of {@value #READERS} read-only connections. In WAL mode a
 * reader sees the last commit that finished before its statement began and never waits for the writer.
 * Each query's index is named beside it ({@code EXPLAIN QUERY PLAN}, no {@code ANALYZE}). Thread-safe: a
 * caller waits for a free connection.
 */
final class EventReader implements AutoCloseable {
    private static final int READERS = 4;

    private final Path file;
    private final BlockingQueue<Connection> pool = new ArrayBlockingQueue<>(READERS);

    /** Opens the connections; closes what it opened when one fails. */
    EventReader(Path file) throws SQLException {
        this.file = file;
        try {
            for (int i = 0; i < READERS; i++) pool.add(Database.reader(file));
        } catch (SQLException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** One page of events; see {@link EventQuery}. Indexes: {@code events_stream}, {@code events_event}, … */
    List<StoredEvent> page(EventQuery q) {
        StringBuilder sql = new StringBuilder(Schema.SELECT_EVENTS).append(" WHERE 1=1");
        List<Object> args = new ArrayList<>();
        in(sql, args, "stream", q.streams());
        in(sql, args, "event", q.events());
        in(sql, args, "tool", q.tools());
        if (q.text() != null && !q.text().isEmpty()) {
            sql.append(" AND json LIKE ? ESCAPE '\\'");
            args.add("%" + q.text().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        if (q.ascending()) {
            sql.append(" AND id > ? ORDER BY id ASC");
            args.add(q.after());
        } else {
            if (q.before() > 0) {
                sql.append(" AND id < ?");
                args.add(q.before());
            }
            sql.append(" ORDER BY id DESC");
        }
        sql.append(" LIMIT ?");
        args.add(q.limit());
        return query(sql.toString(), args);
    }

    /** Events with id above {@code id}, oldest first; of one stream when {@code stream} is not null. */
    List<StoredEvent> after(long id, String stream, int limit) {
        if (stream == null)
            return query(Schema.SELECT_EVENTS + " WHERE id > ? ORDER BY id LIMIT ?", List.of(id, limit));
        return query(
                Schema.SELECT_EVENTS + " WHERE stream = ? AND id > ? ORDER BY id LIMIT ?", List.of(stream, id, limit));
    }

    /** The latest {@code limit} events of a stream with one of {@code names}, oldest first. */
    List<StoredEvent> latestOf(String stream, List<String> names, int limit) {
        StringBuilder sql = new StringBuilder(Schema.SELECT_EVENTS).append(" WHERE stream = ?");
        List<Object> args = new ArrayList<>(List.of(stream));
        in(sql, args, "event", names);
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(limit);
        return reversed(query(sql.toString(), args));
    }

    /** Events of a stream that carry an agent id or start/stop an agent, oldest first (at most {@code limit}). */
    List<StoredEvent> agentEvents(String stream, int limit) {
        return reversed(query(
                Schema.SELECT_EVENTS
                        + " WHERE stream = ? AND (agent_id IS NOT NULL OR event IN ('SubagentStart','SubagentStop'))"
                        + " ORDER BY id DESC LIMIT ?",
                List.of(stream, limit)));
    }

    /** Completed file tool calls of a stream (events with a file path), oldest first. */
    List<StoredEvent> fileEvents(String stream, int limit) {
        return reversed(query(
                Schema.SELECT_EVENTS + " WHERE stream = ? AND file IS NOT NULL AND event = 'PostToolUse'"
                        + " ORDER BY id DESC LIMIT ?",
                List.of(stream, limit)));
    }

    /** The event names of {@code stream} (every stream when null) with their counts, most frequent first. */
    Map<String, Long> eventNames(String stream) {
        String sql = "SELECT event, COUNT(*) FROM events" + (stream == null ? "" : " WHERE stream = ?")
                + " GROUP BY event ORDER BY COUNT(*) DESC, event";
        return withReader(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                if (stream != null) ps.setString(1, stream);
                Map<String, Long> out = new LinkedHashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
                }
                return out;
            }
        });
    }

    Optional<StoredEvent> get(long id) {
        List<StoredEvent> one = query(Schema.SELECT_EVENTS + " WHERE id = ?", List.of(id));
        return one.isEmpty() ? Optional.empty() : Optional.of(one.get(0));
    }

    long count() {
        return withReader(c -> {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM events")) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    private static List<StoredEvent> reversed(List<StoredEvent> newestFirst) {
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    private static void in(StringBuilder sql, List<Object> args, String column, List<String> values) {
        if (values.isEmpty()) return;
        sql.append(" AND ").append(column).append(" IN (");
        for (int i = 0; i < values.size(); i++) {
            sql.append(i == 0 ? "?" : ",?");
            args.add(values.get(i));
        }
        sql.append(')');
    }

    private List<StoredEvent> query(String sql, List<Object> args) {
        return withReader(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
                List<StoredEvent> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(Schema.event(rs));
                }
                return out;
            }
        });
    }

    private interface ReadJob<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T withReader(ReadJob<T> job) {
        Connection c;
        try {
            c = pool.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a database connection", e);
        }
        try {
            return job.run(c);
        } catch (SQLException e) {
            throw new StoreException("cannot read the event database " + file + ": " + e.getMessage(), e);
        } finally {
            pool.add(c);
        }
    }

    /** Closes the idle connections; called once no query runs. */
    @Override
    public void close() {
        for (Connection c : pool) Database.closeQuietly(c);
    }
}
