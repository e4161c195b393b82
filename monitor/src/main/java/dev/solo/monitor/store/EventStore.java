package dev.solo.monitor.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The event database of one monitor instance: a SQLite file in WAL mode, written by one thread,
 * read by a small pool of connections.
 *
 * <p><b>Durability.</b> {@link #append} completes only after the transaction holding the event has
 * committed, so an event the server acknowledged survives a {@code kill -9} of the server
 * ({@code synchronous=NORMAL}: a commit is in the WAL file before it returns; only a power cut can
 * lose the last commits). Concurrent appends share a transaction (group commit): the writer takes
 * whatever is queued, up to {@value #MAX_BATCH} events, and commits them at once.
 *
 * <p><b>Order.</b> Ids are assigned by the single writer in commit order and never reused, so a
 * reader that has seen id {@code n} finds every later event with {@code id > n}.
 *
 * <p><b>Failures</b> (a full disk: {@code SQLITE_FULL}). An event whose append failed is not in the
 * database, and one that is there was acknowledged. SQLite may roll a transaction back by itself on
 * such an error, or report an error after the commit is already durable (the checkpoint that follows a
 * commit found the disk full), and the JDBC driver's own transaction bookkeeping does not survive
 * either. So after any failure the writer closes its connection (SQLite rolls back what it left open),
 * opens a fresh one, and looks up whether the batch's rows are there: if they are, the batch succeeded.
 * The next batch starts clean, so ingest recovers by itself once there is space again.
 *
 * <p>Thread-safe. {@link #close()} drains the queue, stops the writer and closes every connection.
 */
public final class EventStore implements AutoCloseable {
    static final int MAX_BATCH = 2000;
    private static final int READERS = 4;
    /**
     * SQLite's page cache per reader connection, in KiB (SQLite's default is 2,000). Readers walk an
     * index and a page of rows; the OS page cache holds the file anyway, and five default caches were a
     * tenth of the monitor's memory once a million events had been read through them.
     */
    static final int READER_CACHE_KIB = 512;

    private static final int QUEUE = 100_000;

    private final Path file;
    private final Clock clock;
    private final Retention retention;
    private final Consumer<List<StoredEvent>> onCommit;
    private final BlockingQueue<Job> queue = new ArrayBlockingQueue<>(QUEUE);
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private final Map<String, StreamInfo> streams = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Properties writerSettings;
    private final Thread writer;
    /** The writer's connection and statements: the writer thread's alone once it runs; null while broken. */
    private Connection writeConn;

    private PreparedStatement insert;
    private PreparedStatement upsert;
    private PreparedStatement update;
    private volatile long lastId;
    private long nextRetention;

    private sealed interface Job {}

    private record Append(NewEvent event, CompletableFuture<StoredEvent> done) implements Job {}

    private record Stop() implements Job {}

    private EventStore(
            Path file,
            Clock clock,
            Retention retention,
            Consumer<List<StoredEvent>> onCommit,
            Properties writerSettings) {
        this.file = file;
        this.clock = clock;
        this.retention = retention;
        this.onCommit = onCommit;
        this.writerSettings = writerSettings;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            openWriter();
            for (int i = 0; i < READERS; i++) readers.add(open(true, new Properties()));
            loadStreams();
            lastId = queryLong("SELECT COALESCE(MAX(id), 0) FROM events");
            applyRetention();
        } catch (SQLException | java.io.IOException e) {
            throw new StoreException(
                    "cannot open the event database " + file + ": " + e.getMessage()
                            + ". Check that the directory is writable and the disk is not full; move the file"
                            + " away to start with an empty history.",
                    e);
        }
        writer = new Thread(this::writeLoop, "monitor-store-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Opens (or creates) the database at {@code file}.
     *
     * @param onCommit called on the writer thread with each committed batch, in id order, before the batch's
     *     appends complete (so a caller told "stored" finds the event in what the listener feeds); must be quick
     * @throws StoreException when the file cannot be opened or its schema created
     */
    public static EventStore open(Path file, Clock clock, Retention retention, Consumer<List<StoredEvent>> onCommit) {
        return new EventStore(file, clock, retention, onCommit, new Properties());
    }

    /**
     * As {@link #open(Path, Clock, Retention, Consumer)}, with SQLite settings for the writer's connection
     * (such as {@code max_page_count}); applied again whenever the writer reopens it.
     */
    static EventStore open(
            Path file,
            Clock clock,
            Retention retention,
            Consumer<List<StoredEvent>> onCommit,
            Properties writerSettings) {
        return new EventStore(file, clock, retention, onCommit, writerSettings);
    }

    /** Opens the writer's connection: WAL, the schema, a transaction begun, the statements prepared. */
    private void openWriter() throws SQLException {
        Connection c = open(false, writerSettings);
        try {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL");
                // Hook ingest commits a few events at a time; the default checkpoint every 1,000 WAL pages
                // ran on this writer thread every 100-200 commits and stalled every request in flight
                // (ingest p99 5.8 ms; 1.7 ms with this). The WAL grows to ~40 MB between checkpoints.
                s.execute("PRAGMA wal_autocheckpoint=10000");
                for (String ddl : Schema.DDL) s.execute(ddl);
                Schema.migrate(c);
            }
            c.setAutoCommit(false);
            c.commit();
            insert = c.prepareStatement(Schema.INSERT_EVENT);
            upsert = c.prepareStatement(Schema.UPSERT_STREAM);
            update = c.prepareStatement(Schema.UPDATE_STREAM);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
        writeConn = c;
    }

    /**
     * After a failure: drops the writer's connection (SQLite rolls back whatever it left open) and opens
     * a fresh one. When that fails too the next batch tries again.
     */
    private void reopenWriter() {
        if (writeConn != null) closeQuietly(writeConn);
        writeConn = null;
        try {
            openWriter();
        } catch (SQLException | RuntimeException e) {
            System.err.println("solo-monitor: cannot reopen the event database " + file + ": " + e.getMessage()
                    + "; the next write tries again");
        }
    }

    public Path file() {
        return file;
    }

    /** The highest committed id, 0 when the store is empty. */
    public long lastId() {
        return lastId;
    }

    /**
     * Queues {@code e}; the future completes with the stored event once its transaction committed,
     * or exceptionally with a {@link StoreException} (queue full, store closed, write failed).
     */
    public CompletableFuture<StoredEvent> append(NewEvent e) {
        CompletableFuture<StoredEvent> done = new CompletableFuture<>();
        if (closed.get()) {
            done.completeExceptionally(
                    new StoreException("the monitor is shutting down; the event was not stored", null));
        } else if (!queue.offer(new Append(e, done))) {
            done.completeExceptionally(new StoreException(
                    "the write queue is full (" + QUEUE + " events waiting); the event was not stored. Retry later.",
                    null));
        }
        return done;
    }

    private void writeLoop() {
        List<Job> batch = new ArrayList<>(MAX_BATCH);
        try {
            while (true) {
                Job first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    maybeRetention();
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                boolean stop = commit(batch);
                batch.clear();
                if (stop) return;
                maybeRetention();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean commit(List<Job> batch) {
        List<StoredEvent> stored = new ArrayList<>(batch.size());
        Map<String, StreamInfo> touched = new java.util.LinkedHashMap<>();
        boolean stop = false;
        int appends = 0;
        for (Job job : batch) if (job instanceof Append) appends++;
        long now = clock.millis();
        try {
            if (writeConn == null) openWriter();
            for (Job job : batch) {
                if (job instanceof Stop) {
                    stop = true;
                    continue;
                }
                NewEvent e = ((Append) job).event();
                long at = e.occurredMillis() > 0 ? e.occurredMillis() : now;
                insert.setLong(1, at);
                insert.setString(2, e.stream());
                insert.setString(3, e.event());
                insert.setString(4, e.tool());
                insert.setString(5, e.toolUseId());
                insert.setString(6, e.agentId());
                insert.setString(7, e.file());
                insert.setString(8, e.source());
                insert.setLong(9, e.cut());
                insert.setString(10, e.json());
                long id;
                try (ResultSet keys = insert.executeQuery()) {
                    keys.next();
                    id = keys.getLong(1);
                }
                stored.add(new StoredEvent(
                        id,
                        at,
                        e.stream(),
                        e.event(),
                        e.tool(),
                        e.toolUseId(),
                        e.agentId(),
                        e.file(),
                        e.source(),
                        e.cut(),
                        e.json()));
                StreamInfo prev = touched.containsKey(e.stream()) ? touched.get(e.stream()) : streams.get(e.stream());
                touched.put(e.stream(), StreamTracker.apply(prev, e, at));
            }
            // An UPDATE rewrites the stream's row in place; REPLACE deleted and re-inserted it, touching the
            // table and its key index twice in every commit. REPLACE only for a stream's first event.
            for (StreamInfo s : touched.values()) {
                if (Schema.bindStreamUpdate(update, s).executeUpdate() == 0)
                    Schema.bindStream(upsert, s).executeUpdate();
            }
            writeConn.commit();
        } catch (SQLException | RuntimeException ex) {
            reopenWriter();
            if (appends == 0 || stored.size() != appends || !present(stored)) {
                StoreException failure = new StoreException(
                        "cannot write to the event database " + file + ": " + ex.getMessage()
                                + ". Nothing of this request was stored; check the disk space and the file's"
                                + " permissions, then retry.",
                        ex);
                for (Job job : batch) if (job instanceof Append a) a.done().completeExceptionally(failure);
                return stop;
            }
            // SQLite reported the error after the commit was durable: the batch is stored.
            System.err.println("solo-monitor: the database reported '" + ex.getMessage() + "' after a commit that"
                    + " went through; " + stored.size() + " events are stored");
        }
        streams.putAll(touched);
        if (!stored.isEmpty()) lastId = stored.get(stored.size() - 1).id();
        // The listeners hear of the batch before its writers are answered: whoever was told "stored" and
        // then reads the live feed's head or the board finds the event there.
        if (!stored.isEmpty()) {
            try {
                onCommit.accept(stored);
            } catch (RuntimeException ex) {
                System.err.println("solo-monitor: a live-feed listener failed: " + ex);
            }
        }
        int i = 0;
        for (Job job : batch) if (job instanceof Append a) a.done().complete(stored.get(i++));
        return stop;
    }

    /** Whether every row of {@code rows} is in the database, read on a fresh writer connection. */
    private boolean present(List<StoredEvent> rows) {
        if (writeConn == null) return false;
        try (PreparedStatement ps =
                writeConn.prepareStatement("SELECT COUNT(*) FROM events WHERE id BETWEEN ? AND ?")) {
            ps.setLong(1, rows.get(0).id());
            ps.setLong(2, rows.get(rows.size() - 1).id());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getLong(1) == rows.size();
            }
        } catch (SQLException e) {
            return false;
        }
    }

    private void maybeRetention() {
        if (clock.millis() >= nextRetention) {
            try {
                if (writeConn == null) openWriter();
                applyRetention();
            } catch (SQLException e) {
                System.err.println("solo-monitor: retention failed on " + file + ": " + e);
                reopenWriter();
            }
        }
    }

    /** Deletes by age, then oldest-first while over the size bound; runs on the writer connection. */
    private void applyRetention() throws SQLException {
        nextRetention = clock.millis() + retention.checkEvery().toMillis();
        long cutoff = clock.millis() - retention.maxAge().toMillis();
        try (PreparedStatement del = writeConn.prepareStatement("DELETE FROM events WHERE received < ?")) {
            del.setLong(1, cutoff);
            del.executeUpdate();
        }
        while (liveBytes() > retention.maxBytes()) {
            long count = queryLong("SELECT COUNT(*) FROM events");
            if (count == 0) break;
            long chunk = Math.max(1000, count / 10);
            try (PreparedStatement del = writeConn.prepareStatement(
                    "DELETE FROM events WHERE id IN (SELECT id FROM events ORDER BY id LIMIT ?)")) {
                del.setLong(1, chunk);
                del.executeUpdate();
            }
            writeConn.commit();
        }
        // One index seek per stream; "NOT IN (SELECT DISTINCT stream FROM events)" read the whole stream
        // index (every event) at each start and retention pass.
        try (PreparedStatement del = writeConn.prepareStatement(
                "DELETE FROM streams WHERE NOT EXISTS (SELECT 1 FROM events WHERE events.stream = streams.id)")) {
            int gone = del.executeUpdate();
            if (gone > 0) {
                streams.clear();
                writeConn.commit();
                loadStreams();
            }
        }
        writeConn.commit();
    }

    private long liveBytes() throws SQLException {
        long pages = queryLong("PRAGMA page_count");
        long free = queryLong("PRAGMA freelist_count");
        long size = queryLong("PRAGMA page_size");
        return (pages - free) * size;
    }

    private long queryLong(String sql) throws SQLException {
        try (Statement s = writeConn.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private void loadStreams() throws SQLException {
        try (Statement s = writeConn.createStatement();
                ResultSet rs = s.executeQuery(Schema.SELECT_STREAMS)) {
            while (rs.next()) {
                StreamInfo info = Schema.stream(rs);
                streams.put(info.id(), info);
            }
        }
    }

    /** Every stream, most recent activity first. */
    public List<StreamInfo> streams() {
        List<StreamInfo> all = new ArrayList<>(streams.values());
        all.sort(Comparator.comparingLong(StreamInfo::lastMillis).reversed());
        return all;
    }

    public Optional<StreamInfo> stream(String id) {
        return Optional.ofNullable(streams.get(id));
    }

    /** One page of events; see {@link EventQuery}. */
    public List<StoredEvent> page(EventQuery q) {
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
    public List<StoredEvent> after(long id, String stream, int limit) {
        if (stream == null)
            return query(Schema.SELECT_EVENTS + " WHERE id > ? ORDER BY id LIMIT ?", List.of(id, limit));
        return query(
                Schema.SELECT_EVENTS + " WHERE stream = ? AND id > ? ORDER BY id LIMIT ?", List.of(stream, id, limit));
    }

    /** The latest {@code limit} events of a stream with one of {@code names}, oldest first. */
    public List<StoredEvent> latestOf(String stream, List<String> names, int limit) {
        StringBuilder sql = new StringBuilder(Schema.SELECT_EVENTS).append(" WHERE stream = ?");
        List<Object> args = new ArrayList<>(List.of(stream));
        in(sql, args, "event", names);
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(limit);
        List<StoredEvent> out = query(sql.toString(), args);
        java.util.Collections.reverse(out);
        return out;
    }

    /** Events of a stream that carry an agent id or start/stop an agent, oldest first (at most {@code limit}). */
    public List<StoredEvent> agentEvents(String stream, int limit) {
        List<StoredEvent> out = query(
                Schema.SELECT_EVENTS
                        + " WHERE stream = ? AND (agent_id IS NOT NULL OR event IN ('SubagentStart','SubagentStop'))"
                        + " ORDER BY id DESC LIMIT ?",
                List.of(stream, limit));
        java.util.Collections.reverse(out);
        return out;
    }

    /** Completed file tool calls of a stream (events with a file path), oldest first. */
    public List<StoredEvent> fileEvents(String stream, int limit) {
        List<StoredEvent> out = query(
                Schema.SELECT_EVENTS + " WHERE stream = ? AND file IS NOT NULL AND event = 'PostToolUse'"
                        + " ORDER BY id DESC LIMIT ?",
                List.of(stream, limit));
        java.util.Collections.reverse(out);
        return out;
    }

    /**
     * The event names stored for {@code stream} (every stream when null), with how many of each, most
     * frequent first.
     */
    public Map<String, Long> eventNames(String stream) {
        String sql = "SELECT event, COUNT(*) FROM events" + (stream == null ? "" : " WHERE stream = ?")
                + " GROUP BY event ORDER BY COUNT(*) DESC, event";
        return withReader(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                if (stream != null) ps.setString(1, stream);
                Map<String, Long> out = new java.util.LinkedHashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
                }
                return out;
            }
        });
    }

    public Optional<StoredEvent> get(long id) {
        List<StoredEvent> one = query(Schema.SELECT_EVENTS + " WHERE id = ?", List.of(id));
        return one.isEmpty() ? Optional.empty() : Optional.of(one.get(0));
    }

    /** Total number of stored events. */
    public long count() {
        return withReader(c -> {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM events")) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
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
            c = readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a database connection", e);
        }
        try {
            return job.run(c);
        } catch (SQLException e) {
            throw new StoreException("cannot read the event database " + file + ": " + e.getMessage(), e);
        } finally {
            readers.add(c);
        }
    }

    private Connection open(boolean readOnly, Properties settings) throws SQLException {
        Properties p = new Properties();
        p.putAll(settings);
        if (readOnly) {
            p.setProperty("open_mode", "1");
            p.setProperty("cache_size", Integer.toString(-READER_CACHE_KIB));
        }
        p.setProperty("busy_timeout", "5000");
        return DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), p);
    }

    /** Commits what is queued, stops the writer (bounded wait) and closes the database. Idempotent. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) return;
        try {
            queue.put(new Stop());
            writer.join(TimeUnit.SECONDS.toMillis(10));
            if (writer.isAlive()) {
                System.err.println("solo-monitor: the store writer did not stop within 10 s; closing anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Job j : queue) {
            if (j instanceof Append a) {
                a.done()
                        .completeExceptionally(
                                new StoreException("the monitor shut down before the event was stored", null));
            }
        }
        if (writeConn != null) closeQuietly(writeConn);
        for (Connection c : readers) closeQuietly(c);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing at shutdown
        }
    }
}
