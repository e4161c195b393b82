package dev.solo.monitor.server;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's handler while the monitor starts: it lets Jetty start (thread pool, selectors, connectors) while
 * the {@link Backend} still opens on its own thread, and holds every request until the API behind it exists.
 * A request that arrives in that window, {@code /health} or a hook alike, waits here and is then served by
 * the {@link ApiHandler} as if it had arrived later: {@code /health} still answers only once everything is
 * open, and a hook is stored (or refused by the route) exactly as afterwards; nothing is answered before.
 *
 * <p>{@link #open} hands the requests to the API; {@link #fail} (the start failed: the store did not open)
 * answers those waiting, and any later one, 503 with the reason. A request that waits longer than {@code
 * patience} gets 503 as well, naming the wait; the start itself is not affected.
 */
final class StartGate extends Handler.Abstract.NonBlocking {
    private final CountDownLatch decided = new CountDownLatch(1);
    private final Duration patience;
    private final AtomicInteger held = new AtomicInteger();
    private volatile Handler api;
    private volatile String failure;

    StartGate(Duration patience) {
        this.patience = patience;
    }

    /** From now on, and for every request waiting, {@code handler} answers. Called at most once. */
    void open(Handler handler) {
        api = handler;
        decided.countDown();
    }

    /** The start failed: waiting and later requests get 503 with {@code reason}. */
    void fail(String reason) {
        failure = reason;
        decided.countDown();
    }

    /**
     * Non-blocking, as the {@link ApiHandler} behind it (Jetty takes the whole chain's invocation type from
     * here): once open it hands the request on, on the thread it came on; before that, a request waits on a
     * pool thread, never on the selector.
     */
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Handler h = api;
        if (h != null) return h.handle(request, response, callback);
        request.getComponents().getExecutor().execute(() -> waitThenHandle(request, response, callback));
        return true;
    }

    private void waitThenHandle(Request request, Response response, Callback callback) {
        try {
            if (!handleOnceDecided(request, response, callback)) {
                Response.writeError(request, response, callback, 404);
            }
        } catch (Exception | Error e) {
            Response.writeError(request, response, callback, e);
        }
    }

    private boolean handleOnceDecided(Request request, Response response, Callback callback) throws Exception {
        Handler h = api;
        if (h == null) {
            held.incrementAndGet();
            boolean inTime;
            try {
                inTime = awaitDecision();
            } finally {
                held.decrementAndGet();
            }
            h = api;
            if (h == null) {
                String why = failure != null
                        ? "the monitor could not start: " + failure
                        : inTime
                                ? "the monitor is stopping"
                                : "the monitor is still opening its database after " + patience.toMillis()
                                        + " ms; try again in a moment";
                Response.writeError(request, response, callback, 503, why);
                return true;
            }
        }
        return h.handle(request, response, callback);
    }

    /** How many requests wait here now. */
    int held() {
        return held.get();
    }

    private boolean awaitDecision() {
        try {
            return decided.await(patience.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // Jetty stops: answered as "stopping"
            return true;
        }
    }
}
