package dev.solo.monitor.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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

    /** A statement and its arguments; package-private so a test can ask SQLite for each one's plan. */
    record Sql(String text, List<Object> args) {}

    /** One page of events; see {@link EventQuery}. Indexes: {@code events_stream}, {@code events_event}, … */
    List<StoredEvent> page(EventQuery q) {
        return query(pageSql(q));
    }

    static Sql pageSql(EventQuery q) {
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
        return new Sql(sql.toString(), args);
    }

    /** Events with id above {@code id}, oldest first; of one stream when {@code stream} is not null. */
    List<StoredEvent> after(long id, String stream, int limit) {
        return query(afterSql(id, stream, limit));
    }

    static Sql afterSql(long id, String stream, int limit) {
        if (stream == null)
            return new Sql(Schema.SELECT_EVENTS + " WHERE id > ? ORDER BY id LIMIT ?", List.of(id, limit));
        return new Sql(
                Schema.SELECT_EVENTS + " WHERE stream = ? AND id > ? ORDER BY id LIMIT ?", List.of(stream, id, limit));
    }

    /** The latest {@code limit} events of a stream with one of {@code names}, oldest first. */
    List<StoredEvent> latestOf(String stream, List<String> names, int limit) {
        return reversed(query(latestOfSql(stream, names, limit)));
    }

    static Sql latestOfSql(String stream, List<String> names, int limit) {
        StringBuilder sql = new StringBuilder(Schema.SELECT_EVENTS).append(" WHERE stream = ?");
        List<Object> args = new ArrayList<>(List.of(stream));
        in(sql, args, "event", names);
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(limit);
        return new Sql(sql.toString(), args);
    }

    /** Events of a stream that carry an agent id or start/stop an agent, oldest first (at most {@code limit}). */
    List<StoredEvent> agentEvents(String stream, int limit) {
        return reversed(query(agentEventsSql(stream, limit)));
    }

    static Sql agentEventsSql(String stream, int limit) {
        return new Sql(
                Schema.SELECT_EVENTS
                        + " WHERE stream = ? AND (agent_id IS NOT NULL OR event IN ('SubagentStart','SubagentStop'))"
                        + " ORDER BY id DESC LIMIT ?",
                List.of(stream, limit));
    }

    /** Completed file tool calls of a stream (events with a file path), oldest first. */
    List<StoredEvent> fileEvents(String stream, int limit) {
        return reversed(query(fileEventsSql(stream, limit)));
    }

    static Sql fileEventsSql(String stream, int limit) {
        return new Sql(
                Schema.SELECT_EVENTS + " WHERE stream = ? AND file IS NOT NULL AND event = 'PostToolUse'"
                        + " ORDER BY id DESC LIMIT ?",
                List.of(stream, limit));
    }

    /** The event names of {@code stream} (every stream when null) with their counts, most frequent first. */
    Map<String, Long> eventNames(String stream) {
        Sql q = eventNamesSql(stream);
        return withReader(c -> {
            try (PreparedStatement ps = bind(c, q)) {
                Map<String, Long> out = new LinkedHashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
                }
                return out;
            }
        });
    }

    static Sql eventNamesSql(String stream) {
        String sql = "SELECT event, COUNT(*) FROM events" + (stream == null ? "" : " WHERE stream = ?")
                + " GROUP BY event ORDER BY COUNT(*) DESC, event";
        return new Sql(sql, stream == null ? List.of() : List.of(stream));
    }

    Optional<StoredEvent> get(long id) {
        List<StoredEvent> one = query(getSql(id));
        return one.isEmpty() ? Optional.empty() : Optional.of(one.get(0));
    }

    static Sql getSql(long id) {
        return new Sql(Schema.SELECT_EVENTS + " WHERE id = ?", List.of(id));
    }

    static final Sql COUNT = new Sql("SELECT COUNT(*) FROM events", List.of());

    long count() {
        return withReader(c -> {
            try (PreparedStatement ps = bind(c, COUNT);
                    ResultSet rs = ps.executeQuery()) {
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

    static PreparedStatement bind(Connection c, Sql q) throws SQLException {
        PreparedStatement ps = c.prepareStatement(q.text());
        for (int i = 0; i < q.args().size(); i++) ps.setObject(i + 1, q.args().get(i));
        return ps;
    }

    private List<StoredEvent> query(Sql q) {
        return withReader(c -> {
            try (PreparedStatement ps = bind(c, q)) {
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
