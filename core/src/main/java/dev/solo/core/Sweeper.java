package dev.solo.core;

import dev.solo.core.internal.LineCodec;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * One thread ({@code solo-<service>-deadlines}) that enforces the deadlines of every {@link Exchange}:
 * it answers a read that timed out with its {@code ERROR}, closes a stalled write, and on the same-user
 * socket sends the identity line of a handler that runs long and starts another acceptor when the
 * only one is busy. One sweeper for all connections, instead
 * of a timer task per read or write, keeps the hot path free of thread wake-ups; the price is a
 * deadline late by at most one tick.
 */
final class Sweeper implements Runnable {
    /** How long a handler runs on the same-user socket before its client is told the resident is alive. */
    static final long GREET_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final Set<Exchange> active = ConcurrentHashMap.newKeySet();
    private final ScheduledThreadPoolExecutor timer;
    private volatile LocalDoor door;

    /** @param tickMillis how often deadlines are checked, 5 to 250 ms */
    Sweeper(String threadName, long tickMillis) {
        this.timer = new ScheduledThreadPoolExecutor(1, new Named(threadName));
        timer.scheduleWithFixedDelay(this, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }

    /** Also keeps an acceptor ready on {@code door} (see {@link LocalDoor#standBy}). */
    void watch(LocalDoor door) {
        this.door = door;
    }

    void add(Exchange e) {
        active.add(e);
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
        for (Exchange e : active) {
            long due = e.deadline;
            if (due != 0 && now - due > 0) {
                String answer = e.timeoutAnswer();
                if (answer != null) e.respondIfIdle(LineCodec.error(answer));
                e.close();
                continue;
            }
            long since = e.handlerSince;
            if (since != 0 && now - since > GREET_AFTER_NANOS) e.greetNow();
        }
        LocalDoor d = door;
        if (d != null) d.standBy(now);
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
