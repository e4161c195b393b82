package dev.solo.core;

import java.io.Closeable;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The client's deadlines on the same-user socket, where a blocking channel read has no timeout of its
 * own: one daemon thread per JVM ({@code solo-client-deadlines}), started on first use, that closes the
 * channel of a wait that is past its deadline, so the blocked read ends. Arming and disarming touch
 * only a concurrent set (no thread is woken), so a wait that ends in time costs next to nothing; a
 * deadline fires up to one {@link #TICK_NANOS} late.
 */
final class Watchdog implements Runnable {
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private static volatile Watchdog instance;

    private final Set<Wait> waits = ConcurrentHashMap.newKeySet();

    private Watchdog() {}

    /** A deadline on one blocking operation. */
    static final class Wait {
        private final Closeable target;
        private volatile long deadline;
        private volatile boolean fired;

        private Wait(Closeable target, long deadline) {
            this.target = target;
            this.deadline = deadline;
        }

        /** Moves the deadline to {@code nanos} from now (the next phase of the same exchange). */
        void restart(long nanos) {
            deadline = System.nanoTime() + nanos;
        }

        /** Whether the deadline passed and the target was closed. */
        boolean fired() {
            return fired;
        }
    }

    static Watchdog get() {
        Watchdog w = instance;
        if (w != null) return w;
        synchronized (Watchdog.class) {
            if (instance == null) {
                Watchdog created = new Watchdog();
                Thread t = new Thread(created, "solo-client-deadlines");
                t.setDaemon(true);
                t.start();
                instance = created;
            }
            return instance;
        }
    }

    /** Closes {@code target} unless {@link #disarm} comes within {@code nanos}. */
    Wait arm(Closeable target, long nanos) {
        Wait w = new Wait(target, System.nanoTime() + nanos);
        waits.add(w);
        return w;
    }

    void disarm(Wait w) {
        waits.remove(w);
    }

    @Override
    public void run() {
        while (true) {
            LockSupport.parkNanos(TICK_NANOS);
            long now = System.nanoTime();
            for (Wait w : waits) {
                if (now - w.deadline > 0) {
                    w.fired = true;
                    waits.remove(w);
                    try {
                        w.target.close();
                    } catch (IOException ignored) {
                        // closed already
                    }
                }
            }
        }
    }
}
