package dev.solo.monitor.live;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Serves every live client ({@link SseStream}) from one thread, {@code monitor-live}: it wakes when the
 * feed publishes, when a client's write finishes, when a client arrives, and when a heartbeat or a
 * write deadline is due, and then lets each client take its step. Writes are asynchronous, so a slow
 * reader holds its own connection, never the thread. A thread per client cost about 110 KB of stack
 * each (50 dashboards: 5 MB) and a wake-up per client per batch.
 *
 * <p>The thread starts with the first client and ends when the feed closes, after ending every stream
 * (as each client's own thread did). Thread-safe.
 */
public final class LiveHub {
    /** The longest the thread sleeps without a reason: session checks and write deadlines need no more. */
    private static final long TICK_MILLIS = 1000;

    private final LiveFeed feed;
    private final ConcurrentLinkedQueue<SseStream> arriving = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile Thread thread;

    public LiveHub(LiveFeed feed) {
        this.feed = feed;
        feed.onChange(this::wake);
    }

    /** Serves {@code s} from now on (its response must be {@link SseStream#prepare prepared}). */
    public void serve(SseStream s) {
        if (feed.isClosed()) { // shutting down: end it as its own thread would have
            s.end();
            return;
        }
        arriving.add(s);
        if (!started.getAndSet(true)) {
            Thread t = new Thread(this::run, "monitor-live");
            t.setDaemon(true);
            thread = t;
            t.start();
        }
        wake();
    }

    private void wake() {
        Thread t = thread;
        if (t != null) LockSupport.unpark(t);
    }

    private void run() {
        List<SseStream> clients = new ArrayList<>();
        Frames frames = new Frames(feed);
        while (true) {
            for (SseStream s; (s = arriving.poll()) != null; ) clients.add(s);
            long now = TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
            long due = now + TICK_MILLIS;
            for (SseStream s : clients) {
                try {
                    due = Math.min(due, s.step(now, this::wake, frames));
                } catch (RuntimeException e) {
                    System.err.println("solo-monitor: a live client failed: " + e);
                    s.end();
                }
            }
            frames.clear();
            clients.removeIf(SseStream::ended);
            if (feed.isClosed() && clients.isEmpty() && arriving.isEmpty()) return;
            long sleep = due - TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
            if (sleep > 0) LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(sleep));
        }
    }
}
