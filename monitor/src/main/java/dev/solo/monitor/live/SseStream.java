package dev.solo.monitor.live;

import dev.solo.monitor.store.StoredEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One Server-Sent-Events client of the live feed, served by its own thread.
 *
 * <p>By the rules (Javalin's {@code Emitter}): {@code text/event-stream}, no caching, headers flushed
 * at once; {@code id} carries the event id and is free of CR/LF; every payload line gets its own
 * {@code data:} line; a comment line is the heartbeat; a failed or stalled write means the client
 * left. A client that reconnects with {@code Last-Event-ID} gets exactly the events after that id.
 */
public final class SseStream implements Runnable {
    private static final int BATCH = 500;
    private static final long WRITE_TIMEOUT_SECONDS = 30;

    private final LiveFeed feed;
    private final Response response;
    private final Callback callback;
    private final String stream;
    private final Predicate<StoredEvent> filter;
    private final boolean rows;
    private final long heartbeatMillis;
    private final BooleanSupplier allowed;
    private final Runnable onEnd;
    private long cursor;

    /**
     * @param cursor the last id the client has seen; events after it are sent
     * @param stream only this stream's events, or null for all
     * @param filter only the events it accepts, or null for all
     * @param rows send the short row form ({@link EventJson#row}) instead of the full event
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
        this.heartbeatMillis = heartbeatMillis;
        this.allowed = allowed;
        this.onEnd = onEnd;
    }

    /** Sets the status and headers; call before starting the thread. */
    public static void prepare(Response response) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache, no-store");
        response.getHeaders().put("X-Accel-Buffering", "no");
    }

    @Override
    public void run() {
        Throwable failure = null;
        try {
            write("retry: 2000\n: connected, last id " + cursor + "\n\n");
            while (!feed.isClosed()) {
                LiveFeed.Batch batch = feed.next(cursor, stream, filter, BATCH, heartbeatMillis);
                if (!allowed.getAsBoolean()) break; // the session ended: the client reconnects and is refused
                if (batch.events().isEmpty() && batch.scannedTo() == cursor) {
                    if (!feed.isClosed()) write(": heartbeat\n\n");
                    continue;
                }
                if (!batch.events().isEmpty()) {
                    StringBuilder b = new StringBuilder(batch.events().size() * 512);
                    for (StoredEvent e : batch.events())
                        frame(b, Long.toString(e.id()), rows ? EventJson.row(e) : EventJson.of(e));
                    write(b.toString());
                }
                cursor = batch.scannedTo();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            failure = e.getCause() != null ? e.getCause() : e; // the client left or stopped reading
        } finally {
            if (failure == null) callback.succeeded();
            else callback.failed(failure);
            onEnd.run();
        }
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

    private void write(String text) throws InterruptedException, ExecutionException, TimeoutException {
        Callback.Completable done = new Callback.Completable();
        response.write(false, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), done);
        done.get(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
