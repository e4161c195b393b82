package dev.solo.monitor.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Group commit without a writer thread (leader/follower). An append queues its event, then tries to
 * become the leader: the thread that finds no commit in progress takes every queued event (up to
 * {@value #MAX_BATCH}), writes them in one transaction, tells the listener, completes their appends, and
 * goes on while anything is queued. A thread that finds a leader at work returns at once: its event is in
 * the queue, and the leader takes it, because every leader looks at the queue again after it lets go.
 *
 * <p>So no thread is woken or parked for a commit, and one client's append is committed and answered on
 * its own thread. The appends of a batch complete on the leader's thread, and what the caller chained on
 * them (the hook's answer) runs there, after the commit, as it ran on the writer thread before. An append
 * made from inside such a completion (on the leader's own thread) is queued and taken by the same
 * leader's next batch. (A follower that waits for its own commit and answers on its own thread was
 * measured too, and cost more: docs/benchmarks.md, "Round 4: the commit".)
 *
 * <p>Retention runs on the leader after a batch once {@link Retention#checkEvery()} has passed (and at
 * open); an idle store deletes nothing until its next append, and nothing grows while it is idle.
 */
final class GroupCommit {
    static final int MAX_BATCH = 2000;
    static final int QUEUE = 100_000;
    private static final long CLOSE_WAIT_SECONDS = 10;

    private record Append(NewEvent event, CompletableFuture<StoredEvent> done) {}

    private final EventWriter writer;
    private final Consumer<List<StoredEvent>> onCommit;
    private final ConcurrentLinkedQueue<Append> queue = new ConcurrentLinkedQueue<>();
    /** Appends queued and not yet taken by a leader: the queue's bound. */
    private final AtomicInteger queued = new AtomicInteger();
    /** Held by the leader; {@link #close} takes it with a bounded wait. */
    private final ReentrantLock lead = new ReentrantLock();

    private volatile boolean closed;
    /** Set by {@link #close} under {@link #lead}: the writer is closed, a leader fails what it takes. */
    private boolean stopped;

    GroupCommit(EventWriter writer, Consumer<List<StoredEvent>> onCommit) {
        this.writer = writer;
        this.onCommit = onCommit;
    }

    /** Queues {@code e} and commits what is queued unless another thread is already committing. */
    CompletableFuture<StoredEvent> append(NewEvent e) {
        CompletableFuture<StoredEvent> done = enqueue(e);
        lead();
        return done;
    }

    /**
     * Queues every event of {@code events}, in order, committing in batches of up to {@value #MAX_BATCH}:
     * an import's thousands of events share transactions instead of leading one commit each.
     */
    List<CompletableFuture<StoredEvent>> appendAll(List<NewEvent> events) {
        List<CompletableFuture<StoredEvent>> out = new ArrayList<>(events.size());
        for (NewEvent e : events) {
            out.add(enqueue(e));
            if (out.size() % MAX_BATCH == 0) lead();
        }
        lead();
        return out;
    }

    private CompletableFuture<StoredEvent> enqueue(NewEvent e) {
        CompletableFuture<StoredEvent> done = new CompletableFuture<>();
        if (closed) {
            done.completeExceptionally(
                    new StoreException("the monitor is shutting down; the event was not stored", null));
        } else if (queued.incrementAndGet() > QUEUE) {
            queued.decrementAndGet();
            done.completeExceptionally(new StoreException(
                    "the write queue is full (" + QUEUE + " events waiting); the event was not stored. Retry later.",
                    null));
        } else {
            queue.offer(new Append(e, done));
        }
        return done;
    }

    /**
     * Leads while anything is queued and no one else leads. The re-check after each unlock is what makes
     * returning at once safe: an append that found the lock held queued its event before it looked, so
     * the holder, looking at the queue after it let go, sees it (or a newer leader takes it).
     */
    private void lead() {
        while (!queue.isEmpty() && !lead.isHeldByCurrentThread() && lead.tryLock()) {
            try {
                commitQueued();
            } finally {
                lead.unlock();
            }
        }
    }

    /** One batch, under {@link #lead}: write, tell the listener, answer; then retention when due. */
    private void commitQueued() {
        List<Append> batch = new ArrayList<>(Math.min(Math.max(queued.get(), 1), MAX_BATCH));
        for (Append a; batch.size() < MAX_BATCH && (a = queue.poll()) != null; ) batch.add(a);
        if (batch.isEmpty()) return;
        queued.addAndGet(-batch.size());
        if (stopped) {
            StoreException gone = new StoreException("the monitor shut down before the event was stored", null);
            for (Append a : batch) a.done().completeExceptionally(gone);
            return;
        }
        List<NewEvent> events = new ArrayList<>(batch.size());
        for (Append a : batch) events.add(a.event());
        List<StoredEvent> stored;
        try {
            stored = writer.write(events);
        } catch (StoreException failure) {
            for (Append a : batch) a.done().completeExceptionally(failure);
            return;
        }
        // The listener hears of the batch before its writers are answered: whoever was told "stored" and
        // then reads the live feed's head or the board finds the event there.
        try {
            onCommit.accept(stored);
        } catch (RuntimeException ex) {
            System.err.println("solo-monitor: a live-feed listener failed: " + ex);
        }
        for (int i = 0; i < batch.size(); i++) batch.get(i).done().complete(stored.get(i));
        writer.maybeRetention();
    }

    /**
     * Refuses new appends, commits what is queued (waiting up to {@value #CLOSE_WAIT_SECONDS} s for a
     * leader at work), closes the writer's connection, and fails whatever raced in after that.
     */
    void close() {
        if (closed) return;
        closed = true;
        boolean locked = false;
        try {
            locked = lead.tryLock(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!locked) {
            System.err.println("solo-monitor: a store commit did not finish within " + CLOSE_WAIT_SECONDS
                    + " s; closing the database anyway");
            writer.close();
            return;
        }
        try {
            while (!queue.isEmpty()) commitQueued();
            stopped = true;
            writer.close();
        } finally {
            lead.unlock();
        }
        lead(); // fails what was queued between the last batch and the stop
    }
}
