package dev.solo.monitor.live;

import dev.solo.monitor.store.EventStore;
import dev.solo.monitor.store.StoredEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The recent committed events in memory, for the live feed. The store's writer {@link #publish}es
 * each committed batch; readers ask for what follows the last id they saw.
 *
 * <p><b>No gap, no duplicate.</b> Ids grow in commit order and an event is published only after its
 * commit. A reader whose cursor is still inside the ring reads from it; one that fell behind (or
 * resumes from an old {@code Last-Event-ID}) reads from the database, which holds every published
 * event. Either way it gets exactly the events with {@code id > cursor}, in order.
 *
 * <p><b>Bounded memory.</b> The ring keeps at most {@code capacity} events and at most {@link
 * #DEFAULT_MAX_CHARS} characters of payload, whichever comes first, so a day of large tool outputs
 * cannot make the monitor grow: a reader behind the ring reads from the database as above.
 *
 * <p><b>One rendering per event.</b> Every live client of the row form reads the same text of an
 * event ({@link #json}), rendered once by whichever client asks first and kept in a small cache keyed
 * by id; 50 dashboards cost one parse of the payload per event, not 50.
 *
 * <p>Thread-safe.
 */
public final class LiveFeed {
    /** The most payload characters the ring holds (2 Mi: about 2,000 typical hook events). */
    public static final long DEFAULT_MAX_CHARS = 2L * 1024 * 1024;
    /** What an event costs besides its payload, in characters: the record, its strings, the slot. */
    private static final int OVERHEAD_CHARS = 256;
    /** Slots of the row cache (a power of two); live clients read near the head. */
    private static final int CACHE_SLOTS = 1024;

    /** A slice of the feed: the matching events, and the id up to which the feed was looked at. */
    public record Batch(List<StoredEvent> events, long scannedTo) {}

    private final EventStore store;
    private final StoredEvent[] ring;
    private final long maxChars;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition grew = lock.newCondition();
    private final AtomicReferenceArray<Rendered> rows = new AtomicReferenceArray<>(CACHE_SLOTS);
    private int head; // index of the oldest event
    private int size;
    private long chars; // payload characters (plus overhead) of the events in the ring
    private long lastId;
    private volatile boolean closed;
    private volatile Runnable onChange = () -> {};

    /** An event's wire text, cached under its id. */
    private record Rendered(long id, String text) {}

    /** A feed over {@code store} whose ring holds the last {@code capacity} events (and 2 Mi characters). */
    public LiveFeed(EventStore store, int capacity) {
        this(store, capacity, DEFAULT_MAX_CHARS);
    }

    /** As {@link #LiveFeed(EventStore, int)}, with the ring's bound in payload characters. */
    public LiveFeed(EventStore store, int capacity, long maxChars) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        if (maxChars < 1) throw new IllegalArgumentException("maxChars must be >= 1, got " + maxChars);
        this.store = store;
        this.ring = new StoredEvent[capacity];
        this.maxChars = maxChars;
        this.lastId = store.lastId();
    }

    /** Appends a committed batch, in id order, and wakes the readers. Called by the store's writer. */
    public void publish(List<StoredEvent> batch) {
        lock.lock();
        try {
            for (StoredEvent e : batch) {
                if (size == ring.length) dropOldest();
                ring[(head + size) % ring.length] = e;
                size++;
                chars += cost(e);
                while (chars > maxChars && size > 1) dropOldest();
                lastId = e.id();
            }
            grew.signalAll();
        } finally {
            lock.unlock();
        }
        onChange.run();
    }

    /** Calls {@code r} (quickly, on the publishing thread) after each batch is published and on close. */
    public void onChange(Runnable r) {
        onChange = r;
    }

    private void dropOldest() {
        chars -= cost(ring[head]);
        ring[head] = null;
        head = (head + 1) % ring.length;
        size--;
    }

    private static long cost(StoredEvent e) {
        return e.json().length() + OVERHEAD_CHARS;
    }

    /**
     * The wire text of {@code e}: {@link EventJson#row} when {@code row}, else {@link EventJson#of}. A
     * row (a summary: at most a few hundred characters) is rendered once for all clients while its event
     * is recent; thread-safe.
     */
    public String json(StoredEvent e, boolean row) {
        if (!row) return EventJson.of(e); // cheap (the payload is spliced in), and would cache whole payloads
        int slot = (int) (e.id() & (CACHE_SLOTS - 1));
        Rendered r = rows.get(slot);
        if (r != null && r.id() == e.id()) return r.text();
        String text = EventJson.row(e); // parses the payload for its summary: once, not once per client
        rows.set(slot, new Rendered(e.id(), text)); // two clients may render it at once: the same text
        return text;
    }

    /** How many events the ring holds now (for tests). */
    int buffered() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    /** The newest published id. */
    public long lastId() {
        lock.lock();
        try {
            return lastId;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The events after {@code cursor} (of {@code stream}, or of all streams when null), at most
     * {@code max}; waits up to {@code waitMillis} when there are none yet. An empty batch means the
     * wait ran out (or the feed closed).
     */
    public Batch next(long cursor, String stream, int max, long waitMillis) throws InterruptedException {
        return next(cursor, stream, null, max, waitMillis);
    }

    /**
     * As {@link #next(long, String, int, long)}, keeping only the events {@code filter} accepts (null:
     * all). The batch's {@code scannedTo} still moves past the events the filter refused, so a reader
     * with a narrow filter does not scan them again.
     */
    public Batch next(long cursor, String stream, Predicate<StoredEvent> filter, int max, long waitMillis)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        lock.lock();
        try {
            while (lastId <= cursor && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return new Batch(List.of(), cursor);
                grew.awaitNanos(left);
            }
            if (closed) return new Batch(List.of(), cursor);
            long oldest = size == 0 ? Long.MAX_VALUE : ring[head].id();
            if (cursor >= oldest - 1) return fromRing(cursor, stream, filter, max);
        } finally {
            lock.unlock();
        }
        // Fell behind the ring: read from the database, outside the lock. Everything committed up to
        // `head` is visible to the query below.
        long head = store.lastId();
        List<StoredEvent> events = store.after(cursor, stream, max);
        long last = events.isEmpty() ? cursor : events.get(events.size() - 1).id();
        List<StoredEvent> kept = events;
        if (filter != null) {
            kept = new ArrayList<>(events.size());
            for (StoredEvent e : events) if (filter.test(e)) kept.add(e);
        }
        if (stream == null || events.size() == max) return new Batch(kept, last);
        return new Batch(kept, Math.max(last, head));
    }

    private Batch fromRing(long cursor, String stream, Predicate<StoredEvent> filter, int max) {
        List<StoredEvent> out = new ArrayList<>(Math.min(max, size));
        long scanned = cursor;
        int start = firstAfter(cursor);
        for (int i = start; i < size && out.size() < max; i++) {
            StoredEvent e = ring[(head + i) % ring.length];
            scanned = e.id();
            if ((stream == null || stream.equals(e.stream())) && (filter == null || filter.test(e))) out.add(e);
        }
        return new Batch(out, scanned);
    }

    /** Index (0 = oldest) of the first ring entry with id above {@code cursor}. */
    private int firstAfter(long cursor) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ring[(head + mid) % ring.length].id() <= cursor) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** Wakes every waiting reader; later calls to {@link #next} return empty at once. */
    public void close() {
        closed = true;
        lock.lock();
        try {
            grew.signalAll();
        } finally {
            lock.unlock();
        }
        onChange.run();
    }

    public boolean isClosed() {
        return closed;
    }
}
