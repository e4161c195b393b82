package dev.solo.monitor.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The event database of one monitor instance: a SQLite file in WAL mode with one writer connection
 * ({@link EventWriter}, driven by {@link GroupCommit}) and a small pool of readers ({@link EventReader}).
 *
 * <p><b>Durability.</b> {@link #append} completes only after the transaction holding the event has
 * committed, so an event the server acknowledged survives a {@code kill -9} of the server
 * ({@code synchronous=NORMAL}: a commit is in the WAL file before it returns; only a power cut can
 * lose the last commits). Concurrent appends share a transaction (group commit).
 *
 * <p><b>Order.</b> Ids are assigned in commit order and never reused, so a reader that has seen id
 * {@code n} finds every later event with {@code id > n}. The commit listener hears of each batch, in id
 * order, before the batch's appends complete.
 *
 * <p><b>Failures.</b> An event whose append failed is not in the database, and one that is there was
 * acknowledged; after a failure (a full disk) the next batch starts clean, so ingest recovers by itself.
 *
 * <p>Thread-safe. {@link #close()} commits what is queued and closes every connection.
 */
public final class EventStore implements AutoCloseable {
    private final Path file;
    private final EventWriter writer;
    private final GroupCommit commits;
    private final EventReader reader;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EventStore(
            Path file,
            Clock clock,
            Retention retention,
            Consumer<List<StoredEvent>> onCommit,
            Properties writerSettings) {
        this.file = file;
        EventWriter w = null;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Database.ownerOnly(file);
            w = new EventWriter(file, clock, retention, writerSettings);
            reader = new EventReader(file);
        } catch (SQLException | IOException e) {
            if (w != null) w.close();
            throw new StoreException(
                    "cannot open the event database " + file + ": " + e.getMessage()
                            + ". Check that the directory is writable and the disk is not full; move the file"
                            + " away to start with an empty history.",
                    e);
        }
        writer = w;
        commits = new GroupCommit(writer, onCommit);
    }

    /**
     * Opens (or creates) the database at {@code file}.
     *
     * @param onCommit called with each committed batch, in id order, before the batch's appends complete (so
     *     a caller told "stored" finds the event in what the listener feeds), one batch at a time; must be quick
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

    public Path file() {
        return file;
    }

    /** The highest committed id, 0 when the store is empty. */
    public long lastId() {
        return writer.lastId();
    }

    /**
     * Appends {@code e}; the future completes with the stored event once its transaction committed, or
     * exceptionally with a {@link StoreException} (queue full, store closed, write failed).
     */
    public CompletableFuture<StoredEvent> append(NewEvent e) {
        return commits.append(e);
    }

    /** Every stream, most recent activity first. */
    public List<StreamInfo> streams() {
        List<StreamInfo> all = new ArrayList<>(writer.streams().values());
        all.sort(Comparator.comparingLong(StreamInfo::lastMillis).reversed());
        return all;
    }

    public Optional<StreamInfo> stream(String id) {
        return Optional.ofNullable(writer.streams().get(id));
    }

    /** One page of events; see {@link EventQuery}. */
    public List<StoredEvent> page(EventQuery q) {
        return reader.page(q);
    }

    /** Events with id above {@code id}, oldest first; of one stream when {@code stream} is not null. */
    public List<StoredEvent> after(long id, String stream, int limit) {
        return reader.after(id, stream, limit);
    }

    /** The latest {@code limit} events of a stream with one of {@code names}, oldest first. */
    public List<StoredEvent> latestOf(String stream, List<String> names, int limit) {
        return reader.latestOf(stream, names, limit);
    }

    /** Events of a stream that carry an agent id or start/stop an agent, oldest first (at most {@code limit}). */
    public List<StoredEvent> agentEvents(String stream, int limit) {
        return reader.agentEvents(stream, limit);
    }

    /** Completed file tool calls of a stream (events with a file path), oldest first. */
    public List<StoredEvent> fileEvents(String stream, int limit) {
        return reader.fileEvents(stream, limit);
    }

    /**
     * The event names stored for {@code stream} (every stream when null), with how many of each, most
     * frequent first.
     */
    public Map<String, Long> eventNames(String stream) {
        return reader.eventNames(stream);
    }

    public Optional<StoredEvent> get(long id) {
        return reader.get(id);
    }

    /** Total number of stored events. */
    public long count() {
        return reader.count();
    }

    /** Commits what is queued (bounded wait), then closes the database. Idempotent. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) return;
        commits.close();
        reader.close();
    }
}
