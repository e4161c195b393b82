package dev.solo.monitor.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.solo.core.ServiceIdentity;
import dev.solo.monitor.derive.AgentTree;
import dev.solo.monitor.derive.FilesTouched;
import dev.solo.monitor.derive.StreamStatus;
import dev.solo.monitor.derive.Summary;
import dev.solo.monitor.derive.ToolCalls;
import dev.solo.monitor.ingest.BadPayloadException;
import dev.solo.monitor.ingest.Ingest;
import dev.solo.monitor.live.EventJson;
import dev.solo.monitor.live.LiveFeed;
import dev.solo.monitor.live.SseStream;
import dev.solo.monitor.security.Guard;
import dev.solo.monitor.store.EventQuery;
import dev.solo.monitor.store.EventStore;
import dev.solo.monitor.store.NewEvent;
import dev.solo.monitor.store.StoredEvent;
import dev.solo.monitor.store.StreamInfo;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Every route of the monitor. Each request first passes the {@link Guard} (Host, Origin), then the
 * route; routes that act or read events need the token.
 *
 * <pre>
 * GET  /health                         identity; ?nonce= adds the endpoint-bound proof (no token)
 * GET  /?token=…                       sets the HttpOnly cookie, redirects to /    (token in the URL)
 * GET  /                               the dashboard (index.html; it reads everything from the API)
 * GET  /assets/{name}                  the dashboard's modules and styles
 * POST /api/hooks                      raw Claude Code hook JSON → 200, empty body
 * POST /api/events                     claude-mpm envelope {namespace, event, data} → 200, empty body
 * POST /api/shutdown                   stops the server → 202
 * GET  /api/streams                    streams, "waiting for you" first, then most recent
 * GET  /api/streams/{id}               one stream
 * GET  /api/streams/{id}/tools         paired tool calls
 * GET  /api/streams/{id}/agents        agent tree
 * GET  /api/streams/{id}/files         files read or changed
 * GET  /api/streams/{id}/export        the stream as JSONL
 * GET  /api/events?stream&amp;event&amp;tool&amp;q&amp;before&amp;after&amp;limit&amp;view    a page of events
 * GET  /api/event-names?stream=        the event names stored, with counts
 * GET  /api/events/{id}                one event in full
 * GET  /api/live?stream&amp;event&amp;q&amp;view   Server-Sent Events, resumes from Last-Event-ID
 * </pre>
 */
final class ApiHandler extends Handler.Abstract {
    private static final Pattern NONCE = Pattern.compile("[0-9A-Za-z_-]{8,128}");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> WAITING = List.of("PermissionRequest", "Notification", "Elicitation");

    private final Supplier<ServiceIdentity> identity;
    private final Guard guard;
    private final Ingest ingest;
    private final EventStore store;
    private final LiveFeed feed;
    private final MonitorConfig config;
    private final Runnable shutdown;
    private final Clock clock;
    private final AtomicInteger liveClients = new AtomicInteger();
    private final Assets assets = new Assets();

    ApiHandler(
            Supplier<ServiceIdentity> identity,
            Guard guard,
            Ingest ingest,
            EventStore store,
            LiveFeed feed,
            MonitorConfig config,
            Runnable shutdown) {
        this.identity = identity;
        this.guard = guard;
        this.ingest = ingest;
        this.store = store;
        this.feed = feed;
        this.config = config;
        this.shutdown = shutdown;
        this.clock = config.clock();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Exchange x = new Exchange(request, response, callback);
        var h = response.getHeaders();
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Referrer-Policy", "no-referrer");
        h.put("X-Frame-Options", "DENY");
        h.put(HttpHeader.CACHE_CONTROL, "no-store");
        var hostProblem = guard.hostProblem(x.header(HttpHeader.HOST));
        if (hostProblem.isPresent()) {
            x.error(403, hostProblem.get());
            return true;
        }
        var originProblem = guard.originProblem(x.header(HttpHeader.ORIGIN), x.header("Sec-Fetch-Site"));
        if (originProblem.isPresent()) {
            x.error(403, originProblem.get());
            return true;
        }
        try {
            route(x, Request.getPathInContext(request));
        } catch (IllegalArgumentException e) {
            x.error(400, e.getMessage());
        } catch (RuntimeException e) {
            x.error(500, "the monitor failed on " + x.method() + " " + Request.getPathInContext(request) + ": " + e);
        }
        return true;
    }

    private void route(Exchange x, String path) {
        String method = x.method();
        if (path.equals("/health")) {
            if (allow(x, "GET")) health(x);
            return;
        }
        if (path.equals("/") || path.equals("/index.html")) {
            if (allow(x, "GET")) root(x);
            return;
        }
        if (path.startsWith("/assets/")) {
            if (allow(x, "GET") && !assets.serve(x, path.substring("/assets/".length()))) {
                x.error(404, "no such dashboard file: " + path);
            }
            return;
        }
        if (!path.startsWith("/api/")) {
            x.error(404, "no such page: " + path + ". The monitor serves /, /health and /api/….");
            return;
        }
        if (!guard.authorized(x.header(HttpHeader.AUTHORIZATION), x.cookies(guard.cookieName()))) {
            x.response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"solo-monitor\"");
            x.error(
                    401,
                    "missing or wrong token. Send 'Authorization: Bearer <token>' (see 'solo monitor token'),"
                            + " or open the monitor with 'solo monitor open'.");
            return;
        }
        switch (path) {
            case "/api/hooks" -> {
                if (allow(x, "POST")) ingest(x, false);
            }
            case "/api/events" -> {
                if (method.equals("POST")) ingest(x, true);
                else if (allow(x, "GET", "POST")) events(x);
            }
            case "/api/shutdown" -> {
                if (allow(x, "POST")) {
                    x.json(202, "{\"status\":\"stopping\"}");
                    Thread t = new Thread(shutdown, "monitor-shutdown");
                    t.start();
                }
            }
            case "/api/streams" -> {
                if (allow(x, "GET")) streams(x);
            }
            case "/api/live" -> {
                if (allow(x, "GET")) live(x);
            }
            case "/api/event-names" -> {
                if (allow(x, "GET")) eventNames(x);
            }
            default -> {
                if (path.startsWith("/api/events/")) {
                    if (allow(x, "GET")) event(x, path.substring("/api/events/".length()));
                } else if (path.startsWith("/api/streams/")) {
                    if (allow(x, "GET")) stream(x, path.substring("/api/streams/".length()));
                } else {
                    x.error(404, "no such API route: " + path);
                }
            }
        }
    }

    private static boolean allow(Exchange x, String... methods) {
        for (String m : methods) if (m.equals(x.method())) return true;
        if (x.method().equals("HEAD") && methods[0].equals("GET")) return true;
        x.response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", methods));
        x.error(405, x.method() + " is not allowed here; use " + String.join(" or ", methods) + ".");
        return false;
    }

    private void health(Exchange x) {
        ServiceIdentity id = identity.get();
        Map<String, Object> map = id.toMap(clock.instant());
        String nonce = x.param("nonce");
        if (nonce != null) {
            if (!NONCE.matcher(nonce).matches()) {
                x.error(400, "nonce must be 8-128 characters of [0-9A-Za-z_-]");
                return;
            }
            map.put("proof", config.registry().token().proof(nonce, id));
        }
        long events = 0;
        List<StreamInfo> all = store.streams();
        for (StreamInfo s : all) events += s.events();
        map.put("streams", all.size());
        map.put("events", events);
        x.json(200, write(map));
    }

    private void root(Exchange x) {
        String token = x.param("token");
        if (token != null) {
            if (!guard.isToken(token)) {
                x.send(
                        401,
                        "text/plain; charset=utf-8",
                        "This link's token is wrong or was rotated." + " Run 'solo monitor open' for a fresh link.\n");
                return;
            }
            x.response
                    .getHeaders()
                    .add(
                            HttpHeader.SET_COOKIE,
                            guard.cookieName() + "=" + token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=2592000");
            x.response.getHeaders().put(HttpHeader.LOCATION, "/" + x.queryWithout("token"));
            x.empty(303);
            return;
        }
        // The page itself holds no data; without the token its API calls get 401 and it says how to
        // open the monitor.
        if (!assets.serve(x, "index.html")) x.error(500, "the dashboard is missing from the monitor's jar");
    }

    private void ingest(Exchange x, boolean envelope) {
        long declared = x.request.getLength();
        if (declared > config.maxBody()) {
            x.error(413, tooBig(declared));
            return;
        }
        byte[] body;
        try {
            body = readBody(x.request, config.maxBody());
        } catch (BodyTooLarge e) {
            x.error(413, tooBig(-1));
            return;
        } catch (IOException e) {
            x.error(400, "cannot read the request body: " + e.getMessage());
            return;
        }
        NewEvent event;
        try {
            event = envelope ? ingest.envelope(body) : ingest.hook(body);
        } catch (BadPayloadException e) {
            x.error(400, e.getMessage());
            return;
        }
        store.append(event).whenComplete((stored, failure) -> {
            if (failure != null) x.error(503, failure.getMessage());
            else x.empty(200);
        });
    }

    private String tooBig(long declared) {
        return "the body" + (declared >= 0 ? " (" + declared + " bytes)" : "") + " is over the limit of "
                + config.maxBody() + " bytes; nothing was stored";
    }

    private static final class BodyTooLarge extends IOException {
        private static final long serialVersionUID = 1L;
    }

    private static byte[] readBody(Request request, int max) throws IOException {
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) throw new BodyTooLarge();
            return bytes;
        }
    }

    private List<StreamInfo> sorted() {
        List<StreamInfo> all = new ArrayList<>(store.streams());
        all.sort((a, b) -> {
            boolean wa = a.waitingReason() != null && !a.ended();
            boolean wb = b.waitingReason() != null && !b.ended();
            if (wa != wb) return wa ? -1 : 1;
            return Long.compare(b.lastMillis(), a.lastMillis());
        });
        return all;
    }

    private void streams(Exchange x) {
        long now = clock.millis();
        List<Map<String, Object>> out = new ArrayList<>();
        for (StreamInfo s : sorted()) {
            Map<String, Object> m = StreamStatus.toMap(s, now);
            if (s.waitingReason() != null && !s.ended()) m.put("waiting_detail", waitingDetail(s.id()));
            out.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("streams", out);
        body.put("last_event_id", feed.lastId());
        body.put("now", Instant.ofEpochMilli(now).toString());
        x.json(200, write(body));
    }

    /** What a waiting stream waits for: the tool and its command or path, from the latest prompt. */
    private String waitingDetail(String stream) {
        List<StoredEvent> last = store.latestOf(stream, WAITING, 1);
        if (last.isEmpty()) return null;
        StoredEvent e = last.get(0);
        if (e.tool() == null) return Summary.of(e);
        String what = Summary.of(e);
        return what == null ? e.tool() : e.tool() + ": " + what;
    }

    private void eventNames(Exchange x) {
        List<Map<String, Object>> out = new ArrayList<>();
        store.eventNames(x.param("stream")).forEach((name, count) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("event", name);
            m.put("count", count);
            out.add(m);
        });
        x.json(200, write(Map.of("names", out)));
    }

    private void stream(Exchange x, String rest) {
        int slash = rest.indexOf('/');
        String id = URLDecoder.decode(slash < 0 ? rest : rest.substring(0, slash), StandardCharsets.UTF_8);
        String view = slash < 0 ? "" : rest.substring(slash + 1);
        var info = store.stream(id);
        if (info.isEmpty()) {
            x.error(404, "no stream '" + id + "'. List them with GET /api/streams.");
            return;
        }
        int limit = intParam(x, "limit", 5000, 1, 100_000);
        switch (view) {
            case "" -> x.json(200, write(StreamStatus.toMap(info.get(), clock.millis())));
            case "tools" -> {
                List<StoredEvent> evs = store.latestOf(
                        id,
                        List.of(
                                "PreToolUse",
                                "PostToolUse",
                                "PostToolUseFailure",
                                "PermissionRequest",
                                "PermissionDenied"),
                        limit);
                x.json(200, write(Map.of("stream", id, "calls", ToolCalls.pair(evs))));
            }
            case "agents" -> x.json(200, write(AgentTree.of(id, store.agentEvents(id, limit))));
            case "files" -> x.json(
                    200, write(Map.of("stream", id, "files", FilesTouched.of(store.fileEvents(id, limit)))));
            case "export" -> export(x, id);
            default -> x.error(404, "no view '" + view + "' of a stream; use tools, agents, files or export");
        }
    }

    private void export(Exchange x, String id) {
        x.response.setStatus(200);
        x.response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/x-ndjson; charset=utf-8");
        String file = id.replaceAll("[^A-Za-z0-9._-]", "_");
        x.response.getHeaders().put(HttpHeader.CONTENT_DISPOSITION, "attachment; filename=\"" + file + ".jsonl\"");
        try (var out = Content.Sink.asOutputStream(x.response)) {
            long cursor = 0;
            while (true) {
                List<StoredEvent> page = store.after(cursor, id, 1000);
                if (page.isEmpty()) break;
                StringBuilder b = new StringBuilder(page.size() * 512);
                for (StoredEvent e : page) b.append(EventJson.of(e)).append('\n');
                out.write(b.toString().getBytes(StandardCharsets.UTF_8));
                cursor = page.get(page.size() - 1).id();
            }
        } catch (IOException e) {
            x.callback.failed(e);
            return;
        }
        x.callback.succeeded();
    }

    private void events(Exchange x) {
        long after = longParam(x, "after", -1);
        EventQuery q = new EventQuery(
                x.params("stream"),
                x.params("event"),
                x.params("tool"),
                x.param("q"),
                Math.max(0, longParam(x, "before", 0)),
                after,
                intParam(x, "limit", 100, 1, EventQuery.MAX_LIMIT));
        boolean rows = rowView(x);
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

    /** {@code view=row}: the short row form; {@code view=full} or none: the whole event. */
    private static boolean rowView(Exchange x) {
        String v = x.param("view");
        if (v == null || v.isEmpty() || v.equals("full")) return false;
        if (v.equals("row")) return true;
        throw new IllegalArgumentException("view must be 'row' or 'full', got '" + v + "'");
    }

    private void event(Exchange x, String idText) {
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

    private void live(Exchange x) {
        String stream = x.param("stream");
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
        if (liveClients.incrementAndGet() > config.maxLiveClients()) {
            liveClients.decrementAndGet();
            x.error(503, "too many live clients (" + config.maxLiveClients() + "); close some tabs and retry");
            return;
        }
        boolean rows;
        try {
            rows = rowView(x);
        } catch (IllegalArgumentException e) {
            liveClients.decrementAndGet();
            throw e;
        }
        SseStream.prepare(x.response);
        SseStream sse = new SseStream(
                feed,
                x.response,
                x.callback,
                cursor,
                stream,
                liveFilter(x.params("event"), x.param("q")),
                rows,
                config.heartbeat().toMillis(),
                liveClients::decrementAndGet);
        Thread t = new Thread(sse, "monitor-live-" + liveClients.get());
        t.setDaemon(true);
        t.start();
    }

    /**
     * The live feed's {@code event} and {@code q} filters, with the meaning they have on {@code
     * /api/events}: one of the names, and a substring of the stored JSON (case-insensitive); null for
     * none.
     */
    static Predicate<StoredEvent> liveFilter(List<String> events, String q) {
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

    private static long longParam(Exchange x, String name, long fallback) {
        String v = x.param(name);
        if (v == null || v.isBlank()) return fallback;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got '" + v + "'");
        }
    }

    private static int intParam(Exchange x, String name, int fallback, int min, int max) {
        long v = longParam(x, name, fallback);
        if (v < min || v > max)
            throw new IllegalArgumentException(name + " must be " + min + ".." + max + ", got " + v);
        return (int) v;
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
