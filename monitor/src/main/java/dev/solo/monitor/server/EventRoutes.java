package dev.solo.monitor.server;

import dev.solo.monitor.live.EventJson;
import dev.solo.monitor.live.LiveFeed;
import dev.solo.monitor.store.EventQuery;
import dev.solo.monitor.store.EventStore;
import dev.solo.monitor.store.StoredEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored events: {@code GET /api/events} (a filtered page), {@code GET /api/events/{id}} (one, in
 * full) and {@code GET /api/event-names} (the names stored, with counts).
 */
final class EventRoutes {
    private final EventStore store;
    private final LiveFeed feed;

    EventRoutes(EventStore store, LiveFeed feed) {
        this.store = store;
        this.feed = feed;
    }

    /** {@code ?stream&event&tool&q&before&after&limit&view}; the answer's {@code next} pages on. */
    void page(Exchange x) {
        EventQuery q = new EventQuery(
                x.params("stream"),
                x.params("event"),
                x.params("tool"),
                x.param("q"),
                Math.max(0, x.longParam("before", 0)),
                x.longParam("after", -1),
                x.intParam("limit", 100, 1, EventQuery.MAX_LIMIT));
        boolean rows = x.rowView();
        store.awaitStored(); // every event acknowledged before this request is in the feed and the database
        long head = feed.lastId(); // read before the query: every event up to it is in the answer's view
        List<StoredEvent> page = store.page(q);
        StringBuilder b = new StringBuilder(page.size() * (rows ? 300 : 512) + 64).append("{\"events\":[");
        for (int i = 0; i < page.size(); i++) {
            if (i > 0) b.append(',');
            b.append(rows ? EventJson.row(page.get(i)) : EventJson.of(page.get(i)));
        }
        b.append("],\"next\":");
        if (page.size() < q.limit()) {
            b.append("null");
        } else {
            long last = page.get(page.size() - 1).id();
            b.append(q.ascending() ? "{\"after\":" + last + "}" : "{\"before\":" + last + "}");
        }
        x.json(200, b.append(",\"head\":").append(head).append('}').toString());
    }

    void one(Exchange x, String idText) {
        long id;
        try {
            id = Long.parseLong(idText);
        } catch (NumberFormatException e) {
            x.error(400, "event id must be a number, got '" + idText + "'");
            return;
        }
        var e = store.get(id);
        if (e.isEmpty()) x.error(404, "no event " + id + " (it may have been removed by retention)");
        else x.json(200, EventJson.of(e.get()));
    }

    void names(Exchange x) {
        List<Map<String, Object>> out = new ArrayList<>();
        store.eventNames(x.param("stream")).forEach((name, count) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("event", name);
            m.put("count", count);
            out.add(m);
        });
        x.json(200, Map.of("names", out));
    }
}
