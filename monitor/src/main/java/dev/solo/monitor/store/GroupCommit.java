package dev.solo.monitor.store;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Acknowledges events once they are in the {@link Journal}, and puts them into the database on a writer
 * thread ({@value #THREAD}): when an event comes, the writer lets more gather (while they keep coming, up
 * to 10 ms), takes whatever is queued, up to {@value #MAX_BATCH} events, writes it in one transaction, tells
 * the listener, then lets the reads that wait for those events go on.
 *
 * <p><b>Why not answer after the transaction.</b> A hook's answer sits on the critical path of every tool
 * call. A one-event SQLite transaction costs about 95 µs of the writer's CPU (its WAL page writes, the
 * insert into the table and four indexes), plus waking the request thread that waits for it; the journal's
 * one {@code write} costs about 10 µs and gives an acknowledged event the same survival of a {@code kill -9}.
 * The transactions still happen, off the answer's path and in larger batches (docs/benchmarks.md, "Session
 * 10").
 *
 * <p><b>Read your writes.</b> Every read of the store first waits ({@link #awaitIndexed}, at most {@value
 * #READ_WAIT_MILLIS} ms) until the database holds every event acknowledged before the read began, so a
 * caller told "stored" finds the event in any read that follows, and in what the listener has fed.
 *
 * <p><b>Failures.</b> When a transaction fails (a full disk, a database another program keeps locked), its
 * events stay queued and in the journal and the writer tries again every {@value #RETRY_MILLIS} ms, one event
 * at a time. New events are still taken as long as the journal takes them and the writer owes at most
 * {@link #MAX_QUEUED_CHARS} characters (they are held in memory for it); beyond that they are refused (a
 * 503 that says nothing was stored). Reads meanwhile stop waiting and see what the database has. What is
 * still queued at {@link #close} stays in the journal and is stored at the next open.
 */
final class GroupCommit {
    static final String THREAD = "monitor-store-writer";
    static final int MAX_BATCH = 2000;
    static final int QUEUE = 100_000;
    /** The most payload characters waiting for the writer (the queue holds them in memory): 16 Mi. */
    static final long MAX_QUEUED_CHARS = 16L * 1024 * 1024;

    static final long RETRY_MILLIS = 250;
    static final long READ_WAIT_MILLIS = 5_000;
    /**
     * The longest the writer lets events gather after the first (less when they stop coming or a read waits
     * for them, see {@link #linger}): under a burst the live feed and the board hear of an event up to this
     * much later. 10 ms rather than 2: a commit's page writes (each index's last page, the streams row,
     * {@code sqlite_sequence}) and the writer's wake-up are shared by several times as many events, 0.73x
     * the writer's CPU per event at 10,000 events/s (docs/benchmarks.md, "Branch `writer`").
     */
    static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** The linger stops after a slice of this length that brought no event. */
    static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private static final Object STOP = new Object();

    private final EventWriter writer;
    private final Journal journal;
    private final Clock clock;
    private final long lingerNanos;
    private final long sliceNanos;
    private final Consumer<List<StoredEvent>> onCommit;
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE);
    /** Held while an event gets its id, its journal record and its place in the queue: one order for all. */
    private final Object order = new Object();

    private final Object indexedChanged = new Object();
    private final Thread thread;
    private long assigned; // guarded by order
    private long queuedChars; // guarded by order: the payloads acknowledged and not yet in the database
    private volatile long acknowledged;
    private volatile long indexed;
    private volatile int readersWaiting;
    /** True while the writer lets events gather: a reader that starts waiting then wakes it. */
    private volatile boolean lingering;

    private volatile StoreException failing; // the writer's last failure; null while it writes
    private volatile boolean closed;

    GroupCommit(
            EventWriter writer,
            Journal journal,
            Clock clock,
            long lingerNanos,
            long sliceNanos,
            Consumer<List<StoredEvent>> onCommit) {
        this.writer = writer;
        this.journal = journal;
        this.clock = clock;
        this.lingerNanos = lingerNanos;
        this.sliceNanos = sliceNanos;
        this.onCommit = onCommit;
        assigned = writer.lastId();
        acknowledged = assigned;
        indexed = assigned;
        thread = new Thread(this::writeLoop, THREAD);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Acknowledges {@code e}: the returned future is already complete, with the stored event once it is in
     * the journal, or exceptionally with a {@link StoreException} that says nothing was stored (the store
     * is closed, the writer is failing or far behind, or the journal cannot be written).
     */
    CompletableFuture<StoredEvent> append(NewEvent e) {
        try {
            return CompletableFuture.completedFuture(accept(e));
        } catch (StoreException refused) {
            return CompletableFuture.failedFuture(refused);
        }
    }

    private StoredEvent accept(NewEvent e) {
        Journal.Encoded record = Journal.encode(e);
        synchronized (order) {
            if (closed) throw refused("the monitor is shutting down");
            if (queue.remainingCapacity() <= 1 || queuedChars > MAX_QUEUED_CHARS) { // the last place is the stop's
                StoreException f = failing;
                long owed = assigned - indexed;
                throw refused(
                        f != null
                                ? "the event database cannot be written now (" + f.getMessage() + "), and " + owed
                                        + " events already wait for it"
                                : "the writer is " + owed + " events behind");
            }
            long id = assigned + 1;
            long at = e.occurredMillis() > 0 ? e.occurredMillis() : clock.millis();
            try {
                journal.append(record.record(), id, at);
            } catch (IOException io) {
                throw new StoreException(
                        io.getMessage()
                                + ". Nothing of this request was stored; check the free space on that disk and the file's permissions, then retry.",
                        io);
            }
            assigned = id;
            acknowledged = id;
            queuedChars += e.json().length();
            Accepted a = new Accepted(id, at, e, record.json());
            queue.add(a);
            return a.stored();
        }
    }

    private static StoreException refused(String why) {
        return new StoreException(why + ". Nothing of this request was stored; retry later.", null);
    }

    /**
     * Waits until the database holds every event acknowledged before this call: at most {@value
     * #READ_WAIT_MILLIS} ms, and not at all while the writer is failing, after it stopped, or on the writer's
     * own thread (its listener).
     */
    void awaitIndexed() {
        long target = acknowledged;
        if (indexed >= target || Thread.currentThread() == thread) return;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READ_WAIT_MILLIS);
        boolean interrupted = false;
        synchronized (indexedChanged) {
            readersWaiting++;
            if (lingering) LockSupport.unpark(thread); // a reader waits: write what has gathered now
            try {
                while (indexed < target && failing == null && thread.isAlive()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) return;
                    try {
                        indexedChanged.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                    } catch (InterruptedException e) {
                        interrupted = true;
                        return;
                    }
                }
            } finally {
                readersWaiting--;
                if (interrupted) Thread.currentThread().interrupt();
            }
        }
    }

    private void wakeReaders() {
        if (readersWaiting == 0) return;
        synchronized (indexedChanged) {
            indexedChanged.notifyAll();
        }
    }

    private void writeLoop() {
        List<Accepted> batch = new ArrayList<>(MAX_BATCH);
        List<Object> jobs = new ArrayList<>(MAX_BATCH);
        long retryAt = 0; // while failing: not before this (System.nanoTime), however fast events arrive
        try {
            while (true) {
                long untilRetry = TimeUnit.NANOSECONDS.toMillis(retryAt - System.nanoTime());
                Object first = queue.poll(batch.isEmpty() ? 1000 : Math.max(1, untilRetry), TimeUnit.MILLISECONDS);
                boolean stop = false;
                if (first != null) {
                    // Let more arrive: one transaction for all of them, and while the writer parks here
                    // (not on the queue) an append does not have to wake it.
                    if (first != STOP) linger();
                    jobs.add(first);
                    queue.drainTo(jobs, Math.max(0, MAX_BATCH - 1 - batch.size()));
                    for (Object job : jobs) {
                        if (job == STOP) stop = true;
                        else batch.add((Accepted) job);
                    }
                    jobs.clear();
                }
                try {
                    if (!batch.isEmpty() && (failing == null || System.nanoTime() - retryAt >= 0)) {
                        commitAll(batch);
                        if (failing != null) retryAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS);
                    }
                    if (stop) return;
                    if (batch.isEmpty()) writer.maybeRetention();
                } catch (RuntimeException unexpected) { // the writer must outlive anything SQLite throws
                    System.err.println("solo-monitor: the store writer failed: " + unexpected
                            + "; what waits stays in the inbox and is tried again");
                    if (stop) return;
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            wakeReaders();
        }
    }

    /**
     * Lets events gather while they keep coming: in slices of {@link #SLICE_NANOS}, for at most the linger
     * ({@link #LINGER_NANOS}), and no longer once a slice brought none (at a few events a second an event
     * waits for the writer about as long as with the 2 ms linger of before; under a burst the batch grows to
     * 10 ms of events). Also less when a reader waits for the writer, so a read waits no longer either (the
     * reader starts waiting, sees {@link #lingering} and unparks this thread; or this thread sees the reader
     * waiting first: both flags are volatile, so one of the two sees the other), when the queue holds a full
     * batch, or at {@link #close}.
     */
    private void linger() {
        lingering = true;
        try {
            long end = System.nanoTime() + lingerNanos;
            int seen = queue.size();
            while (readersWaiting == 0 && seen < MAX_BATCH && !closed) {
                long left = end - System.nanoTime();
                if (left <= 0) return;
                LockSupport.parkNanos(Math.min(left, sliceNanos));
                int now = queue.size();
                if (now == seen) return; // a quiet slice (or a wake-up): write what is there
                seen = now;
            }
        } finally {
            lingering = false;
        }
    }

    /**
     * Writes {@code batch} and removes what it stored from it. While the writer is failing it tries one
     * event first: a backlog larger than the room a full disk got back still goes in, as far as it fits.
     */
    private void commitAll(List<Accepted> batch) {
        boolean recovering = failing != null;
        long waiting = acknowledged - indexed;
        while (!batch.isEmpty()) {
            List<Accepted> part = failing == null ? batch : batch.subList(0, 1);
            if (!commit(part)) return;
            part.clear();
        }
        if (recovering) {
            System.err.println(
                    "solo-monitor: the event database can be written again; " + waiting + " events waited for it");
        }
    }

    /** Writes {@code batch}; true when it is stored (and the listener and waiting readers were told). */
    private boolean commit(List<Accepted> batch) {
        List<StoredEvent> stored;
        try {
            stored = writer.write(batch);
        } catch (StoreException failure) {
            if (failing == null) {
                System.err.println("solo-monitor: " + failure.getMessage() + " " + batch.size()
                        + " acknowledged events wait in " + Journal.file(writer.file()) + "; retrying every "
                        + RETRY_MILLIS + " ms");
            }
            failing = failure;
            wakeReaders();
            return false;
        }
        failing = null;
        try {
            onCommit.accept(stored);
        } catch (RuntimeException ex) {
            System.err.println("solo-monitor: a live-feed listener failed: " + ex);
        }
        long chars = 0;
        for (Accepted a : batch) chars += a.event().json().length();
        synchronized (order) {
            queuedChars -= chars;
        }
        long last = stored.get(stored.size() - 1).id();
        indexed = last;
        journal.indexed(last);
        wakeReaders();
        return true;
    }

    /**
     * Stops taking events, stores what is queued (bounded wait) and closes the writer's connection. The
     * journal is deleted when the database holds everything it acknowledged, else kept for the next open.
     */
    void close() {
        synchronized (order) {
            if (closed) return;
            closed = true;
        }
        try {
            queue.put(STOP);
            LockSupport.unpark(thread); // it may linger over the last events: store them now
            thread.join(TimeUnit.SECONDS.toMillis(10));
            if (thread.isAlive()) {
                System.err.println("solo-monitor: the store writer did not stop within 10 s; closing anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.close();
        long behind = acknowledged - indexed;
        if (behind == 0 && !thread.isAlive()) {
            journal.discard();
        } else {
            journal.close();
            System.err.println("solo-monitor: " + behind + " acknowledged events are not in the database yet; they"
                    + " stay in " + Journal.file(writer.file()) + " and are stored at the next start");
        }
    }
}
