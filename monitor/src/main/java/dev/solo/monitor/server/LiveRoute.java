package dev.solo.monitor.server;

import dev.solo.monitor.live.LiveFeed;
import dev.solo.monitor.live.LiveHub;
import dev.solo.monitor.live.SseStream;
import dev.solo.monitor.security.Guard;
import dev.solo.monitor.store.StoredEvent;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpHeader;

/**
 * {@code GET /api/live?stream&event&q&view&elsewhere}: Server-Sent Events from the cursor in {@code
 * Last-Event-ID} (or {@code ?last_event_id=}), else from now; at most {@code maxClients} at once. With
 * {@code elsewhere=true} a filtered feed also says when events outside its filters arrived. The
 * dashboard reads it with {@code fetch} (its session travels in a header, which {@code EventSource}
 * cannot send). A feed ends when its session does: expired, token rotated, monitor restarted.
 */
final class LiveRoute {
    private final LiveFeed feed;
    private final LiveHub hub;
    private final Guard guard;
    private final int maxClients;
    private final long heartbeatMillis;
    private final AtomicInteger clients = new AtomicInteger();

    LiveRoute(LiveFeed feed, Guard guard, int maxClients, long heartbeatMillis) {
        this.feed = feed;
        this.hub = new LiveHub(feed);
        this.guard = guard;
        this.maxClients = maxClients;
        this.heartbeatMillis = heartbeatMillis;
    }

    /** The live feeds connected now. */
    int clients() {
        return clients.get();
    }

    void live(Exchange x) {
        String last = x.header("Last-Event-ID");
        if (last == null) last = x.param("last_event_id");
        long cursor;
        if (last == null || last.isBlank()) {
            cursor = feed.lastId();
        } else {
            try {
                cursor = Long.parseLong(last.trim());
            } catch (NumberFormatException e) {
                x.error(400, "Last-Event-ID must be an event id (a number), got '" + last + "'");
                return;
            }
        }
        boolean rows = x.rowView();
        String e = x.param("elsewhere");
        if (e != null && !e.isEmpty() && !e.equals("true") && !e.equals("false")) {
            x.error(400, "elsewhere must be 'true' or 'false', got '" + e + "'");
            return;
        }
        boolean elsewhere = "true".equals(e);
        Predicate<StoredEvent> filter = filter(x.params("event"), x.param("q"));
        if (clients.incrementAndGet() > maxClients) {
            clients.decrementAndGet();
            x.error(503, "too many live clients (" + maxClients + "); close some tabs and retry");
            return;
        }
        String authorization = x.header(HttpHeader.AUTHORIZATION);
        SseStream.prepare(x.response);
        SseStream sse = new SseStream(
                feed,
                x.response,
                x.callback,
                cursor,
                x.param("stream"),
                filter,
                rows,
                elsewhere,
                heartbeatMillis,
                () -> guard.stillAllowed(authorization),
                clients::decrementAndGet);
        hub.serve(sse);
    }

    /**
     * The live feed's {@code event} and {@code q} filters, with the meaning they have on {@code
     * /api/events}: one of the names, and a substring of the stored JSON (case-insensitive); null for
     * none.
     */
    static Predicate<StoredEvent> filter(List<String> events, String q) {
        Set<String> names = Set.copyOf(events);
        String text = q == null || q.isEmpty() ? null : q;
        if (names.isEmpty() && text == null) return null;
        return e ->
                (names.isEmpty() || names.contains(e.event())) && (text == null || containsIgnoreCase(e.json(), text));
    }

    static boolean containsIgnoreCase(String hay, String needle) {
        int n = needle.length();
        for (int i = 0, end = hay.length() - n; i <= end; i++) {
            if (hay.regionMatches(true, i, needle, 0, n)) return true;
        }
        return false;
    }
}
