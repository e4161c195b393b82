package dev.solo.monitor.server;

import dev.solo.monitor.board.Board;
import dev.solo.monitor.cost.Ledger;
import dev.solo.monitor.cost.Prices;
import dev.solo.monitor.live.LiveFeed;
import dev.solo.monitor.store.EventStore;
import java.time.ZoneId;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What a monitor opens from disk before it serves: the event store (SQLite's native library, five
 * connections, the schema, the stream table), the live feed over it, the cost ledger (the price table,
 * parsed with Jackson) and the board (which then replays the history on its own thread).
 *
 * <p>{@link #openAsync} opens them on a thread of their own ({@value #THREAD}) while {@link MonitorServer}
 * builds and starts Jetty on the caller's: at start the two are about the same size and each is one thread's work,
 * so on a machine with two cores or more they overlap instead of adding up. Nothing serves before both
 * are done: Jetty may start first, but its requests wait in a {@link StartGate} until {@link
 * Opening#await()} returned and the API exists, so no request sees a part that is not open.
 */
record Backend(EventStore store, LiveFeed feed, Ledger ledger, Board board) {
    static final String THREAD = "monitor-open";

    /**
     * Opens every part on the calling thread, in order; on failure closes what it opened and rethrows
     * (a {@link dev.solo.monitor.store.StoreException} that names the database, as before).
     */
    static Backend open(MonitorConfig config) {
        AtomicReference<LiveFeed> feedRef = new AtomicReference<>();
        AtomicReference<Board> boardRef = new AtomicReference<>();
        EventStore store = EventStore.open(config.database(), config.clock(), config.retention(), batch -> {
            LiveFeed f = feedRef.get();
            if (f != null) f.publish(batch);
            Board b = boardRef.get();
            if (b != null) b.accept(batch);
        });
        Ledger ledger = null;
        try {
            LiveFeed feed = new LiveFeed(store, config.ringSize());
            feedRef.set(feed);
            ZoneId zone = ZoneId.systemDefault();
            ledger = new Ledger(Prices.shipped(), config.claudeHome(), zone);
            Board board = new Board(store, ledger, config.clock(), zone);
            boardRef.set(board);
            return new Backend(store, feed, ledger, board);
        } catch (RuntimeException | Error e) {
            if (ledger != null) ledger.close();
            store.close();
            throw e;
        }
    }

    /**
     * Starts {@link #open} on a new daemon thread named {@value #THREAD}, followed there by {@code then}
     * (what is built on the open parts); when {@code then} fails, the parts are closed and its exception is
     * what {@link Opening#await()} throws. {@code close} closes what {@code then} returned, for {@link
     * Opening#closeWhenOpened()}.
     */
    static <T> Opening<T> openAsync(MonitorConfig config, Function<Backend, T> then, Consumer<T> close) {
        FutureTask<T> task = new FutureTask<>(() -> {
            Backend parts = open(config);
            try {
                return then.apply(parts);
            } catch (RuntimeException | Error e) {
                parts.close();
                throw e;
            }
        });
        Thread t = new Thread(task, THREAD);
        t.setDaemon(true);
        t.start();
        return new Opening<>(task, close);
    }

    /** Stops the board and transcript threads, then commits what the store has queued and closes it. */
    void close() {
        feed.close();
        board.close();
        ledger.close();
        store.close();
    }

    /** A {@link Backend} being opened on its own thread, and what is built on it. */
    static final class Opening<T> {
        private final FutureTask<T> task;
        private final Consumer<T> close;

        private Opening(FutureTask<T> task, Consumer<T> close) {
            this.task = task;
            this.close = close;
        }

        /**
         * Waits for the open and returns the parts; rethrows what the open threw, unchanged (so the
         * caller's error message is the store's own). Uninterruptible: the parts must be either handed
         * over or closed, never left open behind an interrupted caller (the interrupt flag is restored).
         */
        T await() {
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        return task.get();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    } catch (ExecutionException e) {
                        Throwable cause = e.getCause();
                        if (cause instanceof RuntimeException r) throw r;
                        if (cause instanceof Error err) throw err;
                        throw new IllegalStateException(cause);
                    }
                }
            } finally {
                if (interrupted) Thread.currentThread().interrupt();
            }
        }

        /** For a start that failed elsewhere: waits for the open and closes what it opened. */
        void closeWhenOpened() {
            try {
                close.accept(await());
            } catch (RuntimeException | Error alreadyReported) {
                // the open failed as well and closed its own parts
            }
        }
    }
}
