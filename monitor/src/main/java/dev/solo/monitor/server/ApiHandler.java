package dev.solo.monitor.server;

import dev.solo.core.RegistryException;
import dev.solo.core.ServiceIdentity;
import dev.solo.monitor.ingest.Ingest;
import dev.solo.monitor.live.LiveFeed;
import dev.solo.monitor.security.Guard;
import dev.solo.monitor.security.Guard.Credential;
import dev.solo.monitor.store.EventStore;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The monitor's router. Every request passes the {@link Guard}'s Host and Origin checks, then the
 * route's {@link Access} level, then reaches its route; one class per resource answers it.
 *
 * <pre>
 * GET  /health                         identity; ?nonce= adds the endpoint-bound proof   PUBLIC
 * GET  /                               the dashboard page                                PUBLIC
 * GET  /assets/{name}                  the dashboard's modules and styles                PUBLIC
 * POST /api/session                    {code} → a dashboard session                      PUBLIC
 * POST /api/hooks                      raw Claude Code hook JSON → 200, empty body       INGEST
 * POST /api/events                     claude-mpm envelope {namespace, event, data}      INGEST
 * GET  /api/status                     identity, stream and event counts                 DASHBOARD
 * GET  /api/streams                    streams, "waiting for you" first                  DASHBOARD
 * GET  /api/streams/{id}[/view]        one stream; views tools, agents, files, export    DASHBOARD
 * GET  /api/events?stream&amp;event&amp;tool&amp;q&amp;before&amp;after&amp;limit&amp;view    a page of events    DASHBOARD
 * GET  /api/events/{id}                one event in full                                 DASHBOARD
 * GET  /api/event-names?stream=        the event names stored, with counts               DASHBOARD
 * GET  /api/live?stream&amp;event&amp;q&amp;view   Server-Sent Events, resumes from Last-Event-ID    DASHBOARD
 * GET  /api/board                      every stream's card, held prompts, cost totals    DASHBOARD
 * GET  /api/streams/{id}/conversation  a page of the transcript as a person reads it     DASHBOARD
 * GET  /api/permissions                answering from the page: settings, held prompts   DASHBOARD
 * POST /api/permissions/settings       turn it on or off (all, per stream), timeout      DASHBOARD
 * POST /api/permissions/{id}           Allow or Deny a held prompt, optional message     DASHBOARD
 * POST /api/import                     import past sessions from the transcripts         DASHBOARD
 * GET  /vendor/{name}                  the Markdown renderer and sanitiser (WebJars)     PUBLIC
 * POST /api/login-code                 a one-time login code for the browser             ADMIN
 * POST /api/shutdown                   stops the server → 202                            ADMIN
 * </pre>
 *
 * Paths are matched as sent (still percent-encoded), so an encoded {@code /} in a stream id stays part
 * of the id; routes decode what they take. A path ending in {@code /*} matches everything below it (the
 * longest such prefix wins); the route gets the rest of the path. Exact paths win over prefixes.
 */
final class ApiHandler extends Handler.Abstract.NonBlocking {
    /** One route: a method and path, what it needs, and who answers. */
    private record Route(String method, String path, Access access, BiConsumer<Exchange, String> target) {}

    /** Served on the selector thread that read them; see {@link #handle}. */
    private static final Set<String> INGEST_PATHS = Set.of("/api/hooks", "/api/events");

    private final Guard guard;
    private final LiveRoute live;
    /** Exact paths, then method; looked up first. */
    private final Map<String, Map<String, Route>> exact = new HashMap<>();
    /** Prefix paths (without the {@code *}), longest first, then method. */
    private final Map<String, Map<String, Route>> prefixes =
            new TreeMap<>(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));

    ApiHandler(
            Supplier<ServiceIdentity> identity,
            Guard guard,
            Ingest ingest,
            EventStore store,
            LiveFeed feed,
            MonitorConfig config,
            Mission mission,
            Runnable shutdown) {
        this.guard = guard;
        HealthRoute health =
                new HealthRoute(identity, config.registry(), store, guard, config.database(), config.clock());
        DashboardRoute dashboard = new DashboardRoute();
        LoginRoute login = new LoginRoute(guard, config.bodyTimeout());
        IngestRoute in = new IngestRoute(ingest, store, config.maxBody(), config.bodyTimeout(), mission.desk());
        ConversationRoute conversation = new ConversationRoute(
                mission.board(), mission.home(), mission.ledger().prices());
        StreamRoutes streams = new StreamRoutes(store, feed, config.clock(), conversation);
        BoardRoute board = new BoardRoute(mission.board(), mission.desk());
        PermissionRoutes permissions = new PermissionRoutes(mission.desk());
        ImportRoute history = new ImportRoute(mission.importer());
        VendorRoute vendor = new VendorRoute();
        EventRoutes events = new EventRoutes(store, feed);
        LiveRoute live = new LiveRoute(
                feed, guard, config.maxLiveClients(), config.heartbeat().toMillis());
        this.live = live;

        add("GET", "/health", Access.PUBLIC, (x, rest) -> health.health(x));
        add("GET", "/", Access.PUBLIC, (x, rest) -> dashboard.page(x));
        add("GET", "/index.html", Access.PUBLIC, (x, rest) -> dashboard.page(x));
        add("GET", "/assets/*", Access.PUBLIC, dashboard::asset);
        add("POST", "/api/session", Access.PUBLIC, (x, rest) -> login.session(x));
        add("POST", "/api/hooks", Access.INGEST, (x, rest) -> in.hook(x));
        add("POST", "/api/events", Access.INGEST, (x, rest) -> in.envelope(x));
        add("GET", "/api/status", Access.DASHBOARD, (x, rest) -> health.status(x));
        add("GET", "/api/events", Access.DASHBOARD, (x, rest) -> events.page(x));
        add("GET", "/api/events/*", Access.DASHBOARD, events::one);
        add("GET", "/api/event-names", Access.DASHBOARD, (x, rest) -> events.names(x));
        add("GET", "/api/streams", Access.DASHBOARD, (x, rest) -> streams.list(x));
        add("GET", "/api/streams/*", Access.DASHBOARD, streams::one);
        add("GET", "/api/live", Access.DASHBOARD, (x, rest) -> live.live(x));
        add("GET", "/api/board", Access.DASHBOARD, (x, rest) -> board.board(x));
        add("GET", "/api/permissions", Access.DASHBOARD, (x, rest) -> permissions.list(x));
        add("POST", "/api/permissions/*", Access.DASHBOARD, permissions::post);
        add("POST", "/api/import", Access.DASHBOARD, (x, rest) -> history.run(x));
        add("GET", "/vendor/*", Access.PUBLIC, vendor::file);
        add("POST", "/api/login-code", Access.ADMIN, (x, rest) -> login.code(x));
        add("POST", "/api/shutdown", Access.ADMIN, (x, rest) -> {
            x.json(202, "{\"status\":\"stopping\"}");
            new Thread(shutdown, "monitor-shutdown").start();
        });
    }

    /** How many live feeds are connected now: a dashboard is open. */
    int liveClients() {
        return live.clients();
    }

    private void add(String method, String path, Access access, BiConsumer<Exchange, String> target) {
        boolean prefix = path.endsWith("/*");
        String key = prefix ? path.substring(0, path.length() - 1) : path;
        (prefix ? prefixes : exact)
                .computeIfAbsent(key, k -> new LinkedHashMap<>())
                .put(method, new Route(method, path, access, target));
    }

    /**
     * The handler tells Jetty it does not block, so Jetty calls it on the selector thread that read the
     * request instead of handing every request to a pool thread (that hand-off, a thread wake-up each, was
     * half of bare Jetty's CPU per hook: docs/benchmarks.md). The two ingest routes stay on that thread:
     * their body is read by demand, their event is written to the store's inbox (one {@code write}) and
     * answered at once, a held permission prompt is answered later from the thread that decides it. Every
     * other request, which may read the database or stream for minutes, goes to the server's pool.
     */
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!"POST".equals(request.getMethod())
                || !INGEST_PATHS.contains(request.getHttpURI().getPath())) {
            request.getComponents().getExecutor().execute(() -> {
                try {
                    serve(request, response, callback);
                } catch (RuntimeException | Error e) { // answered, not left to the idle timeout
                    Response.writeError(request, response, callback, e);
                }
            });
            return true;
        }
        return serve(request, response, callback);
    }

    private boolean serve(Request request, Response response, Callback callback) {
        Exchange x = new Exchange(request, response, callback);
        var h = response.getHeaders();
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Referrer-Policy", "no-referrer");
        h.put("X-Frame-Options", "DENY");
        h.put(HttpHeader.CACHE_CONTROL, "no-store");
        var hostProblem = guard.hostProblem(x.header(HttpHeader.HOST));
        if (hostProblem.isPresent()) {
            // the names it answers to, for a client that printed a URL with another one ('solo monitor --host')
            var body = new LinkedHashMap<String, Object>();
            body.put("status", 403);
            body.put("error", hostProblem.get());
            body.put("hosts", new TreeSet<>(guard.hosts()));
            x.json(403, body);
            return true;
        }
        var originProblem = guard.originProblem(x.header(HttpHeader.ORIGIN), x.header("Sec-Fetch-Site"));
        if (originProblem.isPresent()) {
            x.error(403, originProblem.get());
            return true;
        }
        String path = request.getHttpURI().getPath();
        try {
            dispatch(x, path == null || path.isEmpty() ? "/" : path);
        } catch (IllegalArgumentException e) {
            x.error(400, e.getMessage());
        } catch (RegistryException e) {
            x.error(503, "the monitor cannot read its secrets: " + e.getMessage());
        } catch (RuntimeException e) {
            x.error(500, "the monitor failed on " + x.method() + " " + path + ": " + e);
        }
        return true;
    }

    private void dispatch(Exchange x, String path) {
        // Exact routes win over prefixes, so /api/events is never read as /api/events/{id}.
        Map<String, Route> byMethod = exact.get(path);
        String rest = "";
        if (byMethod == null) {
            for (Map.Entry<String, Map<String, Route>> p : prefixes.entrySet()) {
                if (path.startsWith(p.getKey()) && path.length() > p.getKey().length()) {
                    byMethod = p.getValue();
                    rest = path.substring(p.getKey().length());
                    break;
                }
            }
        }
        if (byMethod == null) {
            x.error(
                    404,
                    path.startsWith("/api/")
                            ? "no such API route: " + path
                            : "no such page: " + path + ". The monitor serves /, /health and /api/….");
            return;
        }
        Route route = byMethod.get(x.method());
        if (route == null && x.method().equals("HEAD")) route = byMethod.get("GET");
        if (route == null) {
            String allowed = String.join(", ", byMethod.keySet());
            x.response.getHeaders().put(HttpHeader.ALLOW, allowed);
            x.error(405, x.method() + " is not allowed here; use " + allowed.replace(", ", " or ") + ".");
            return;
        }
        if (route.access() != Access.PUBLIC) {
            Credential c = guard.credential(x.header(HttpHeader.AUTHORIZATION));
            if (!route.access().grants(c)) {
                refuse(x, route.access(), c);
                return;
            }
            if (route.access() == Access.INGEST && c == Credential.TOKEN) guard.tokenUsedForIngest();
        }
        route.target().accept(x, rest);
    }

    /** 401 without a usable credential, 403 with one that does not open this level; each says what would. */
    private void refuse(Exchange x, Access access, Credential c) {
        if (c != Credential.NONE) {
            x.error(
                    403,
                    switch (c) {
                        case INGEST_KEY ->
                            "the ingest key can only append events; this needs "
                                    + (access == Access.ADMIN
                                            ? "the monitor's token ('solo monitor token')."
                                            : "a dashboard session ('solo monitor open') or the monitor's token.");
                        case SESSION ->
                            "a dashboard session can only read; this needs the monitor's token"
                                    + " ('solo monitor token').";
                        default -> "this credential does not open " + x.method() + " here.";
                    });
            return;
        }
        x.response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"solo-monitor\"");
        x.error(
                401,
                switch (access) {
                    case INGEST -> {
                        String problem = guard.ingestKeyProblem();
                        yield "missing or wrong ingest key. Hooks send 'Authorization: Bearer <ingest key>'; run 'solo"
                                + " monitor hooks install' to write hooks that carry the current key."
                                + (problem.isEmpty() ? "" : " (" + problem + ")");
                    }
                    case DASHBOARD ->
                        "no access: no dashboard session, or it ended (a restart of the monitor or a"
                                + " new token ends sessions). Run 'solo monitor open' to log in, or send"
                                + " 'Authorization: Bearer <token>' (see 'solo monitor token').";
                    default ->
                        "this needs the monitor's token: 'Authorization: Bearer <token>' (see 'solo monitor"
                                + " token').";
                });
    }
}
