package dev.solo.monitor.live;

import dev.solo.monitor.store.StoredEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One Server-Sent-Events client of the live feed. The {@link LiveHub}'s one thread serves every client:
 * it asks each for its next step whenever events arrived, a write finished or a heartbeat is due.
 *
 * <p>By the rules (Javalin's {@code Emitter}): {@code text/event-stream}, no caching, headers flushed
 * at once; {@code id} carries the event id and is free of CR/LF; every payload line gets its own
 * {@code data:} line; a comment line is the heartbeat; a failed write, or one that has not finished
 * after {@value #WRITE_TIMEOUT_MILLIS} ms, means the client left. A client that reconnects with {@code
 * Last-Event-ID} gets exactly the events after that id: a client's next batch is read from its own
 * cursor only after its previous write finished, so its events go out once and in order.
 *
 * <p>A client with a narrow view (one stream, an event name, a search) that asks for it still learns
 * that something happened outside it: when the feed passed over events its filters refused, it gets an {@code event:
 * elsewhere} frame (no {@code id}, so its cursor does not move; {@code data} is the newest id scanned),
 * at most once per {@value #ELSEWHERE_MILLIS} ms. The dashboard refreshes its stream list on it, so
 * another session's activity shows at once instead of at the next poll.
 */
public final class SseStream {
    static final int BATCH = 500;
    static final long WRITE_TIMEOUT_MILLIS = 30_000;
    static final long ELSEWHERE_MILLIS = 500;

    private final LiveFeed feed;
    private final Response response;
    private final Callback callback;
    private final String stream;
    private final Predicate<StoredEvent> filter;
    private final boolean rows;
    private final boolean tellElsewhere;
    private final long heartbeatMillis;
    private final BooleanSupplier allowed;
    private final Runnable onEnd;
    private long cursor;
    private long lastWriteMillis;
    private boolean started;
    private boolean ended;
    /** Events outside this client's view went by since the last {@code elsewhere} frame. */
    private boolean elsewhere;

    private long lastElsewhereMillis = Long.MIN_VALUE / 2;
    /** When the write in flight began (ms), or 0 when none is; set by the hub, cleared by the write's callback. */
    private volatile long writingSince;

    private volatile Throwable failure;

    /**
     * @param cursor the last id the client has seen; events after it are sent
     * @param stream only this stream's events, or null for all
     * @param filter only the events it accepts, or null for all
     * @param rows send the short row form ({@link EventJson#row}) instead of the full event
     * @param tellElsewhere send {@code elsewhere} frames when the filters pass over events
     * @param allowed whether the client may still read; checked before every write (at least once a
     *     heartbeat), and the stream ends when it says no
     * @param onEnd called once when the stream ends, for bookkeeping
     */
    public SseStream(
            LiveFeed feed,
            Response response,
            Callback callback,
            long cursor,
            String stream,
            Predicate<StoredEvent> filter,
            boolean rows,
            boolean tellElsewhere,
            long heartbeatMillis,
            BooleanSupplier allowed,
            Runnable onEnd) {
        this.feed = feed;
        this.response = response;
        this.callback = callback;
        this.cursor = cursor;
        this.stream = stream;
        this.filter = filter;
        this.rows = rows;
        this.tellElsewhere = tellElsewhere;
        this.heartbeatMillis = heartbeatMillis;
        this.allowed = allowed;
        this.onEnd = onEnd;
    }

    /** Sets the status and headers; call before handing the stream to the hub. */
    public static void prepare(Response response) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache, no-store");
        response.getHeaders().put("X-Accel-Buffering", "no");
    }

    /**
     * One step, on the hub's thread: end the stream if it must end, else write what is due (the greeting,
     * the events after the cursor, their frames taken from the round's {@code frames}, an {@code elsewhere}
     * notice, or a heartbeat). Returns when the next
     * heartbeat or held-back notice is due (ms), or
     * {@code Long.MAX_VALUE} while a write is in flight or once the stream ended.
     */
    long step(long nowMillis, Runnable wake, Frames frames) {
        if (ended) return Long.MAX_VALUE;
        Throwable failed = failure;
        if (failed != null) {
            end(failed);
            return Long.MAX_VALUE;
        }
        long since = writingSince;
        if (since != 0) {
            if (nowMillis - since > WRITE_TIMEOUT_MILLIS) {
                end(new TimeoutException("the client read nothing for " + WRITE_TIMEOUT_MILLIS + " ms"));
            }
            return Long.MAX_VALUE;
        }
        if (feed.isClosed()) {
            end(null);
            return Long.MAX_VALUE;
        }
        if (!started) {
            started = true;
            write("retry: 2000\n: connected, last id " + cursor + "\n\n", nowMillis, wake);
            return Long.MAX_VALUE;
        }
        LiveFeed.Batch batch;
        try {
            batch = feed.next(cursor, stream, filter, BATCH, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            end(null);
            return Long.MAX_VALUE;
        }
        if (!allowed.getAsBoolean()) { // the session ended: the client reconnects and is refused
            end(null);
            return Long.MAX_VALUE;
        }
        List<StoredEvent> events = batch.events();
        long lastSent =
                events.isEmpty() ? cursor : events.get(events.size() - 1).id();
        cursor = batch.scannedTo();
        if (!events.isEmpty()) {
            // the client refreshes its other views on these rows anyway
            elsewhere = false;
            write(frames.join(events, rows), nowMillis, wake);
            return Long.MAX_VALUE;
        }
        if (tellElsewhere && cursor > lastSent) elsewhere = true;
        long due = lastWriteMillis + heartbeatMillis;
        if (elsewhere) {
            if (nowMillis - lastElsewhereMillis >= ELSEWHERE_MILLIS) {
                elsewhere = false;
                lastElsewhereMillis = nowMillis;
                write("event: elsewhere\ndata: " + cursor + "\n\n", nowMillis, wake);
                return Long.MAX_VALUE;
            }
            due = Math.min(due, lastElsewhereMillis + ELSEWHERE_MILLIS);
        }
        if (nowMillis - lastWriteMillis >= heartbeatMillis) {
            write(": heartbeat\n\n", nowMillis, wake);
            return Long.MAX_VALUE;
        }
        return due;
    }

    /** Whether it has ended (the hub forgets it). */
    boolean ended() {
        return ended;
    }

    /** Ends it at once (the hub is closing). */
    void end() {
        if (!ended) end(null);
    }

    private void end(Throwable why) {
        ended = true;
        if (why == null) callback.succeeded();
        else callback.failed(why);
        onEnd.run();
    }

    private void write(String text, long nowMillis, Runnable wake) {
        write(text.getBytes(StandardCharsets.UTF_8), nowMillis, wake);
    }

    private void write(byte[] bytes, long nowMillis, Runnable wake) {
        lastWriteMillis = nowMillis;
        writingSince = Math.max(1, nowMillis);
        response.write(false, ByteBuffer.wrap(bytes), new Callback() {
            @Override
            public void succeeded() {
                writingSince = 0;
                wake.run();
            }

            @Override
            public void failed(Throwable x) {
                failure = x; // the client left or stopped reading
                writingSince = 0;
                wake.run();
            }
        });
    }

    /** Appends one SSE event: an {@code id} line without CR/LF, and one {@code data:} line per line. */
    static void frame(StringBuilder b, String id, String data) {
        b.append("id: ").append(id.replace("\r", "").replace("\n", "")).append('\n');
        if (data.indexOf('\n') < 0 && data.indexOf('\r') < 0) {
            // The common case (compact JSON has no line breaks): no regex split per event per client.
            b.append("data: ").append(data).append('\n');
        } else {
            for (String line : data.split("\r\n|\r|\n", -1))
                b.append("data: ").append(line).append('\n');
        }
        b.append('\n');
    }
}
