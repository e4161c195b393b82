package dev.solo.monitor.server;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Jetty's handler while the monitor starts: it lets Jetty start (thread pool, selectors, connectors) while
 * the {@link Backend} still opens on its own thread, and holds every request until the API behind it exists.
 * A request that arrives in that window, {@code /health} or a hook alike, waits here and is then served by
 * the {@link ApiHandler} as if it had arrived later: {@code /health} still answers only once everything is
 * open, and a hook is stored (or refused by the route) exactly as afterwards; nothing is answered before.
 *
 * <p>A waiting request holds no thread: it is kept in a queue, and handed to the pool when the gate is
 * decided. {@link #open} hands the requests to the API; {@link #fail} (the start failed: the store did not
 * open) answers those waiting, and any later one, 503 with the reason. A request that waits longer than
 * {@code patience} gets 503 as well, naming the wait (Jetty's scheduler fires it); the start itself is not
 * affected. When Jetty stops first, those still waiting get 503 "stopping".
 */
final class StartGate extends Handler.Abstract.NonBlocking {
    private final Duration patience;
    private final Queue<Held> waiting = new ConcurrentLinkedQueue<>();
    private volatile Handler api;
    private volatile String failure;
    private volatile boolean decided;

    StartGate(Duration patience) {
        this.patience = patience;
    }

    /** From now on, and for every request waiting, {@code handler} answers. Called at most once. */
    void open(Handler handler) {
        api = handler;
        decide();
    }

    /** The start failed: waiting and later requests get 503 with {@code reason}. */
    void fail(String reason) {
        failure = reason;
        decide();
    }

    private void decide() {
        decided = true;
        for (Held h; (h = waiting.poll()) != null; ) h.release();
    }

    /**
     * Non-blocking, as the {@link ApiHandler} behind it (Jetty takes the whole chain's invocation type from
     * here): once open it hands the request on, on the thread it came on; before that, the request is queued
     * and this returns at once, without holding the selector or a pool thread.
     */
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Handler h = api;
        if (h != null) return h.handle(request, response, callback);
        Held held = new Held(request, response, callback);
        waiting.add(held);
        Scheduler scheduler = request.getComponents().getScheduler();
        held.timeout = scheduler.schedule(held::expire, patience.toNanos(), TimeUnit.NANOSECONDS);
        if (decided) decide(); // decided while it was queued: nobody else drains it
        return true;
    }

    @Override
    protected void doStop() throws Exception {
        for (Held h; (h = waiting.poll()) != null; ) h.refuse("the monitor is stopping");
        super.doStop();
    }

    /** How many requests wait here now. */
    int held() {
        return waiting.size();
    }

    /** A request waiting for the gate's decision; exactly one of release, expire or refuse answers it. */
    private final class Held {
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final AtomicBoolean answered = new AtomicBoolean();
        private volatile Scheduler.Task timeout;

        Held(Request request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = callback;
        }

        /** The gate is decided: the API (or the failure) answers it, on a pool thread. */
        void release() {
            if (!answered.compareAndSet(false, true)) return;
            Scheduler.Task t = timeout;
            if (t != null) t.cancel();
            request.getComponents().getExecutor().execute(this::handleDecided);
        }

        void expire() {
            waiting.remove(this);
            refuse("the monitor is still opening its database after " + patience.toMillis()
                    + " ms; try again in a moment");
        }

        void refuse(String why) {
            if (answered.compareAndSet(false, true)) Response.writeError(request, response, callback, 503, why);
        }

        private void handleDecided() {
            Handler h = api;
            try {
                if (h == null) {
                    Response.writeError(request, response, callback, 503, "the monitor could not start: " + failure);
                } else if (!h.handle(request, response, callback)) {
                    Response.writeError(request, response, callback, 404);
                }
            } catch (Exception | Error e) {
                Response.writeError(request, response, callback, e);
            }
        }
    }
}
