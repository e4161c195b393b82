package dev.solo.monitor.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Group commit on a writer thread ({@value #THREAD}): the writer takes whatever is queued, up to {@value
 * #MAX_BATCH} events, writes it in one transaction, tells the listener, then completes the appends.
 *
 * <p>A leader/follower commit without this thread (the request thread that finds no commit in progress
 * commits for everyone) was built and measured: it saved no futex call or context switch per event,
 * since Jetty's hand-off of an answer written off the handler's thread stays either way, and its smaller
 * batches cost more CPU (docs/benchmarks.md, "Round 4: the commit").
 */
final class GroupCommit {
    static final String THREAD = "monitor-store-writer";
    static final int MAX_BATCH = 2000;
    static final int QUEUE = 100_000;

    private sealed interface Job {}

    private record Append(NewEvent event, CompletableFuture<StoredEvent> done) implements Job {}

    private record Stop() implements Job {}

    private final EventWriter writer;
    private final Consumer<List<StoredEvent>> onCommit;
    private final BlockingQueue<Job> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Thread thread;
    private volatile boolean closed;

    GroupCommit(EventWriter writer, Consumer<List<StoredEvent>> onCommit) {
        this.writer = writer;
        this.onCommit = onCommit;
        thread = new Thread(this::writeLoop, THREAD);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Queues {@code e}; the future completes once it is committed, or exceptionally when the queue is full,
     * the commit failed or the store closed first. It always completes: an append that raced with {@link
     * #close} is either committed (queued before the stop), failed by {@code close}'s sweep of the queue, or,
     * when it was queued after that sweep, taken back and failed here.
     */
    CompletableFuture<StoredEvent> append(NewEvent e) {
        CompletableFuture<StoredEvent> done = new CompletableFuture<>();
        Append job = new Append(e, done);
        if (closed) {
            done.completeExceptionally(shutDown("the monitor is shutting down; the event was not stored"));
        } else if (!queue.offer(job)) {
            done.completeExceptionally(new StoreException(
                    "the write queue is full (" + QUEUE + " events waiting); the event was not stored. Retry later.",
                    null));
        } else if (closed && !thread.isAlive() && queue.remove(job)) {
            // queued behind the stop, after close() swept the queue: nobody else will answer it
            done.completeExceptionally(shutDown("the monitor shut down before the event was stored"));
        }
        return done;
    }

    private static StoreException shutDown(String message) {
        return new StoreException(message, null);
    }

    private void writeLoop() {
        List<Job> batch = new ArrayList<>(MAX_BATCH);
        try {
            while (true) {
                Job first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    writer.maybeRetention();
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                boolean stop = commit(batch);
                batch.clear();
                if (stop) return;
                writer.maybeRetention();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean commit(List<Job> batch) {
        List<Append> appends = new ArrayList<>(batch.size());
        boolean stop = false;
        for (Job job : batch) {
            if (job instanceof Append a) appends.add(a);
            else stop = true;
        }
        if (appends.isEmpty()) return stop;
        List<NewEvent> events = new ArrayList<>(appends.size());
        for (Append a : appends) events.add(a.event());
        List<StoredEvent> stored;
        try {
            stored = writer.write(events);
        } catch (StoreException failure) {
            for (Append a : appends) a.done().completeExceptionally(failure);
            return stop;
        }
        // The listeners hear of the batch before its writers are answered: whoever was told "stored" and
        // then reads the live feed's head or the board finds the event there.
        try {
            onCommit.accept(stored);
        } catch (RuntimeException ex) {
            System.err.println("solo-monitor: a live-feed listener failed: " + ex);
        }
        for (int i = 0; i < appends.size(); i++) appends.get(i).done().complete(stored.get(i));
        return stop;
    }

    /** Commits what is queued, stops the writer (bounded wait) and closes the writer's connection. */
    void close() {
        if (closed) return;
        closed = true;
        try {
            queue.put(new Stop());
            thread.join(TimeUnit.SECONDS.toMillis(10));
            if (thread.isAlive()) {
                System.err.println("solo-monitor: the store writer did not stop within 10 s; closing anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Job j : queue) {
            if (j instanceof Append a) {
                a.done().completeExceptionally(shutDown("the monitor shut down before the event was stored"));
            }
        }
        writer.close();
    }
}
