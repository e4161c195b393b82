package dev.solo.core;

import dev.solo.core.internal.LineCodec;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One thread ({@code solo-<service>-deadlines}) that enforces the deadlines of every {@link Exchange}:
 * it answers a read that timed out with its {@code ERROR}, closes a stalled write, looks whether the
 * client of a handler that runs long has gone ({@link ClientWatch}), and on the same-user socket sends
 * the identity line of such a handler and starts another acceptor when the only one is busy. One
 * sweeper for all connections, instead of a timer task per read or write, keeps the hot path free of
 * thread wake-ups; the price is a deadline (or a client's departure) seen up to one tick late.
 *
 * <p><b>Idle.</b> With no connection open there is nothing to sweep, and a resident may wait for days. So
 * after {@link #IDLE_NANOS} without any, the sweeper stops ticking (an idle resident's thread then sleeps
 * until a connection comes, instead of waking every tick), and the next {@link #add} starts it again. Only
 * that first connection after a quiet second pays for it (one wake-up of the sweeper's thread); under load
 * the ticks go on as before.
 */
final class Sweeper implements Runnable {
    /**
     * How long a handler runs before its client, on the same-user socket, is told the resident is alive,
     * and before its connection is watched for the client's end (when the handler asked, see {@link
     * Cancellation}).
     */
    static final long GREET_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** How long the sweeper keeps ticking with no connection open before it stops. */
    static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Set<Exchange> active = ConcurrentHashMap.newKeySet();
    private final ScheduledThreadPoolExecutor timer;
    private final long tickMillis;
    /** True while no tick is scheduled; whoever sets it back to false schedules the next one. */
    private final AtomicBoolean stopped = new AtomicBoolean();
    /** When a tick last found a connection open ({@code System.nanoTime()}); the sweeper's thread only. */
    private long lastBusy = System.nanoTime();

    private volatile LocalDoor door;

    /** @param tickMillis how often deadlines are checked, 5 to 250 ms */
    Sweeper(String threadName, long tickMillis) {
        this.tickMillis = tickMillis;
        this.timer = new ScheduledThreadPoolExecutor(1, new Named(threadName));
        schedule();
    }

    /** Also keeps an acceptor ready on {@code door} (see {@link LocalDoor#standBy}). */
    void watch(LocalDoor door) {
        this.door = door;
    }

    void add(Exchange e) {
        active.add(e);
        if (stopped.get() && stopped.compareAndSet(true, false)) schedule();
    }

    void remove(Exchange e) {
        active.remove(e);
    }

    /** The exchanges that are open now, for shutdown. */
    Set<Exchange> active() {
        return active;
    }

    @Override
    public void run() {
        long now = System.nanoTime();
        try {
            sweep(now);
        } finally {
            if (!active.isEmpty()) lastBusy = now;
            if (now - lastBusy < IDLE_NANOS || !stopIdle()) schedule();
        }
    }

    /**
     * Stops ticking; false when a connection came meanwhile and nobody else will schedule the next tick.
     * An {@link #add} that ran before {@code stopped} was set saw it false and scheduled nothing, so the set
     * is looked at again after it: either that look sees the new connection, or the {@code add} sees {@code
     * stopped} and schedules the tick itself (one of the two compare-and-sets wins).
     */
    private boolean stopIdle() {
        stopped.set(true);
        return active.isEmpty() || !stopped.compareAndSet(true, false);
    }

    private void sweep(long now) {
        for (Exchange e : active) {
            long due = e.deadline;
            if (due != 0 && now - due > 0) {
                String answer = e.timeoutAnswer();
                if (answer != null) e.respondIfIdle(LineCodec.error(answer));
                e.close();
                continue;
            }
            long since = e.handlerSince;
            if (since != 0 && now - since > GREET_AFTER_NANOS) {
                e.greetNow();
                e.watchClient();
            }
        }
        LocalDoor d = door;
        if (d != null) d.standBy(now);
    }

    private void schedule() {
        try {
            timer.schedule(this, tickMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shutDown) {
            // the server is closing: no more ticks
        }
    }

    void shutdown() {
        timer.shutdownNow();
    }

    /** A daemon thread factory with one fixed name. */
    static final class Named implements ThreadFactory {
        private final String name;

        Named(String name) {
            this.name = name;
        }

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        }
    }
}
