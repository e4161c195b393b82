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
 * ({@link EventWriter}, driven by {@link GroupCommit}), a small pool of readers ({@link EventReader}), and
 * the inbox ({@link Journal}) where every event is written before it is acknowledged.
 *
 * <p><b>Durability.</b> {@link #append} completes once the event is in the inbox (one {@code write}), so
 * an event the server acknowledged survives a {@code kill -9} of the server: what the inbox holds and the
 * database does not is stored when the store opens again. Only a power cut can lose the last events, as
 * with SQLite's {@code synchronous=NORMAL}. The writer stores events in batches (group commit).
 *
 * <p><b>Order.</b> Ids are assigned in acknowledgement order and never reused, and events reach the
 * database in id order, so a reader that has seen id {@code n} finds every later event with {@code id >
 * n}. The commit listener hears of each batch, in id order, once it is in the database.
 *
 * <p><b>Read your writes.</b> Every read waits (briefly: the writer is milliseconds behind) until the
 * database holds every event acknowledged before the read began.
 *
 * <p><b>Failures.</b> An event whose append failed is stored nowhere, and every acknowledged event reaches
 * the database; while it cannot be written (a full disk) new events are refused, and ingest recovers by
 * itself once it can.
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
            Properties writerSettings,
            long lingerNanos,
            long sliceNanos) {
        this.file = file;
        EventWriter w = null;
        Journal journal;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Database.ownerOnly(file);
            w = new EventWriter(file, clock, retention, writerSettings);
            replayInbox(w);
            journal = Journal.create(file);
            reader = new EventReader(file);
        } catch (SQLException | IOException | StoreException e) {
            if (w != null) w.close();
            throw new StoreException(
                    "cannot open the event database " + file + ": " + e.getMessage()
                            + ". Check that the directory is writable and the disk is not full; move the file"
                            + " away to start with an empty history.",
                    e);
        }
        writer = w;
        commits = new GroupCommit(writer, journal, clock, lingerNanos, sliceNanos, onCommit);
    }

    /** Stores what the inbox holds and the database does not (events acknowledged before a crash). */
    private static void replayInbox(EventWriter w) throws IOException {
        List<Accepted> batch = new ArrayList<>();
        long[] count = {0};
        Journal.replay(w.file(), w.lastId(), a -> {
            batch.add(a);
            count[0]++;
            if (batch.size() == GroupCommit.MAX_BATCH) {
                w.write(batch);
                batch.clear();
            }
        });
        if (!batch.isEmpty()) w.write(batch);
        if (count[0] > 0) {
            System.err.println("solo-monitor: stored " + count[0] + " events acknowledged before the last stop from "
                    + Journal.file(w.file()));
        }
    }

    /**
     * Opens (or creates) the database at {@code file}.
     *
     * @param onCommit called with each committed batch, in id order, before the batch's appends complete (so
     *     a caller told "stored" finds the event in what the listener feeds), one batch at a time; must be quick
     * @throws StoreException when the file cannot be opened or its schema created
     */
    public static EventStore open(Path file, Clock clock, Retention retention, Consumer<List<StoredEvent>> onCommit) {
        return new EventStore(
                file, clock, retention, onCommit, new Properties(), GroupCommit.LINGER_NANOS, GroupCommit.SLICE_NANOS);
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
        return new EventStore(
                file, clock, retention, onCommit, writerSettings, GroupCommit.LINGER_NANOS, GroupCommit.SLICE_NANOS);
    }

    /** As {@link #open(Path, Clock, Retention, Consumer)}, with the writer's linger and its slice (tests). */
    static EventStore open(
            Path file,
            Clock clock,
            Retention retention,
            Consumer<List<StoredEvent>> onCommit,
            long lingerNanos,
            long sliceNanos) {
        return new EventStore(file, clock, retention, onCommit, new Properties(), lingerNanos, sliceNanos);
    }

    public Path file() {
        return file;
    }

    /**
     * Waits (briefly: the writer is milliseconds behind) until the database holds, and the commit listener
     * has heard of, every event acknowledged before the call. The store's own reads do this themselves; call
     * it before reading what the listener feeds (the live feed's head).
     */
    public void awaitStored() {
        commits.awaitIndexed();
    }

    /** The highest id stored, 0 when nothing ever was; waits for the events acknowledged before the call. */
    public long lastId() {
        commits.awaitIndexed();
        return writer.lastId();
    }

    /**
     * Appends {@code e}; the returned future is already complete: with the stored event (its id and time)
     * once it is in the inbox, or exceptionally with a {@link StoreException} that says nothing was stored
     * (store closed, database failing, inbox not writable).
     */
    public CompletableFuture<StoredEvent> append(NewEvent e) {
        return commits.append(e);
    }

    /** Every stream, most recent activity first. */
    public List<StreamInfo> streams() {
        commits.awaitIndexed();
        List<StreamInfo> all = new ArrayList<>(writer.streams().values());
        all.sort(Comparator.comparingLong(StreamInfo::lastMillis).reversed());
        return all;
    }

    public Optional<StreamInfo> stream(String id) {
        commits.awaitIndexed();
        return Optional.ofNullable(writer.streams().get(id));
    }

    /** One page of events; see {@link EventQuery}. */
    public List<StoredEvent> page(EventQuery q) {
        commits.awaitIndexed();
        return reader.page(q);
    }

    /** Events with id above {@code id}, oldest first; of one stream when {@code stream} is not null. */
    public List<StoredEvent> after(long id, String stream, int limit) {
        commits.awaitIndexed();
        return reader.after(id, stream, limit);
    }

    /** The latest {@code limit} events of a stream with one of {@code names}, oldest first. */
    public List<StoredEvent> latestOf(String stream, List<String> names, int limit) {
        commits.awaitIndexed();
        return reader.latestOf(stream, names, limit);
    }

    /** Events of a stream that carry an agent id or start/stop an agent, oldest first (at most {@code limit}). */
    public List<StoredEvent> agentEvents(String stream, int limit) {
        commits.awaitIndexed();
        return reader.agentEvents(stream, limit);
    }

    /** Completed file tool calls of a stream (events with a file path), oldest first. */
    public List<StoredEvent> fileEvents(String stream, int limit) {
        commits.awaitIndexed();
        return reader.fileEvents(stream, limit);
    }

    /**
     * The event names stored for {@code stream} (every stream when null), with how many of each, most
     * frequent first.
     */
    public Map<String, Long> eventNames(String stream) {
        commits.awaitIndexed();
        return reader.eventNames(stream);
    }

    public Optional<StoredEvent> get(long id) {
        commits.awaitIndexed();
        return reader.get(id);
    }

    /** Total number of stored events. */
    public long count() {
        commits.awaitIndexed();
        return reader.count();
    }

    /** Stores what is queued (bounded wait), then closes the database. Idempotent. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) return;
        commits.close();
        reader.close();
    }
}
