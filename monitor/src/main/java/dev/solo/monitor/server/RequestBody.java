package dev.solo.monitor.server;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Reads a request body without holding a thread while the client sends it, within a deadline and a
 * size cap. A body that is slow (or never comes) costs a connection, not one of the server's threads,
 * so 70 slow clients cannot starve {@code /health} or the hooks; when the deadline passes the client
 * gets 408 and the connection is closed. Too large a body gets 413. Either way nothing was stored.
 */
final class RequestBody {
    private final Exchange x;
    private final int max;
    private final Duration deadline;
    private final Consumer<byte[]> then;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile Scheduler.Task timer;

    private RequestBody(Exchange x, int max, Duration deadline, Consumer<byte[]> then) {
        this.x = x;
        this.max = max;
        this.deadline = deadline;
        this.then = then;
    }

    /**
     * Reads the body of {@code x}, then hands it to {@code then} (on a server thread), or answers the
     * error itself: 413 over {@code max} bytes, 408 after {@code deadline}, 400 when the client broke
     * off. A body that is already there (a hook's, usually: it came with the headers) is taken at once,
     * and the deadline's timer is armed only when the body has to be waited for: arming and cancelling a
     * timer per request woke the scheduler's thread twice per hook.
     */
    static void read(Exchange x, int max, Duration deadline, Consumer<byte[]> then) {
        long declared = x.request.getLength();
        if (declared > max) {
            x.error(413, tooBig(declared, max));
            return;
        }
        RequestBody body = new RequestBody(x, max, deadline, then);
        if (body.readMore()) return;
        Scheduler scheduler = x.request.getComponents().getScheduler();
        Scheduler.Task t = scheduler.schedule(body::expire, deadline.toMillis(), TimeUnit.MILLISECONDS);
        body.timer = t;
        if (body.finished.get()) t.cancel(); // it finished on another thread meanwhile
    }

    /** Reads what is there; true when the body is complete (or failed), false when more was demanded. */
    private boolean readMore() {
        while (!finished.get()) {
            Content.Chunk chunk = x.request.read();
            if (chunk == null) {
                x.request.demand(this::readMore);
                return false;
            }
            if (Content.Chunk.isFailure(chunk)) {
                Throwable why = chunk.getFailure();
                fail(400, "the request body broke off: " + (why == null ? "no reason given" : why.getMessage()));
                return true;
            }
            ByteBuffer b = chunk.getByteBuffer();
            int n = b.remaining();
            if (bytes.size() + (long) n > max) {
                chunk.release();
                fail(413, tooBig(-1, max));
                return true;
            }
            boolean last = chunk.isLast();
            byte[] whole = null;
            if (last && bytes.size() == 0) {
                whole = new byte[n]; // the whole body in one chunk: one copy
                b.get(whole);
            } else {
                byte[] part = new byte[n];
                b.get(part);
                bytes.write(part, 0, n);
            }
            chunk.release();
            if (last) {
                if (finished.getAndSet(true)) return true;
                Scheduler.Task t = timer;
                if (t != null) t.cancel();
                then.accept(whole != null ? whole : bytes.toByteArray());
                return true;
            }
        }
        return true;
    }

    private void expire() {
        fail(
                408,
                "the request body did not arrive within " + deadline.toMillis() + " ms (" + bytes.size() + " of "
                        + (x.request.getLength() < 0 ? "?" : Long.toString(x.request.getLength()))
                        + " bytes came); nothing was stored. Send the whole body at once.");
    }

    private void fail(int status, String message) {
        if (finished.getAndSet(true)) return;
        Scheduler.Task t = timer;
        if (t != null) t.cancel();
        x.error(status, message);
    }

    static String tooBig(long declared, int max) {
        return "the body" + (declared >= 0 ? " (" + declared + " bytes)" : "") + " is over the limit of " + max
                + " bytes; nothing was stored";
    }
}
