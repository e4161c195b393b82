package dev.solo.monitor.server;

import dev.solo.core.ClaimResult;
import dev.solo.core.ServiceIdentity;
import dev.solo.monitor.board.Board;
import dev.solo.monitor.cost.Prices;
import dev.solo.monitor.history.Importer;
import dev.solo.monitor.ingest.Ingest;
import dev.solo.monitor.live.LiveFeed;
import dev.solo.monitor.permission.PermissionDesk;
import dev.solo.monitor.permission.TerminalAnswers;
import dev.solo.monitor.security.Guard;
import dev.solo.monitor.store.EventStore;
import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.security.SecurityUtils;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteJDBCLoader;

/**
 * The monitor resident: Jetty serving on the sockets solo-core already bound, the event store and
 * the live feed.
 *
 * <p>The listening sockets come from {@link ClaimResult.Claimed}: they are handed to Jetty's
 * connectors as they are ({@link ServerConnector#open(ServerSocketChannel)}), never closed and bound
 * again, so no other process can slip in between the claim and the serving.
 *
 * <p>{@link #close()} stops in a fixed order, each step bounded: live feeds end, held permission
 * prompts are released (no decision: the terminal asks), Jetty stops (the port is free once it
 * returns), the board and transcript threads stop, the store commits what it has queued and closes,
 * the registry record goes. Idempotent; {@link #awaitStop()} returns once it finished.
 */
public final class MonitorServer implements AutoCloseable {
    private final ClaimResult.Claimed claim;
    private final Server jetty;
    private final EventStore store;
    private final LiveFeed feed;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private final Mission mission;

    /** How long a request that arrives while the store still opens waits for it (then 503). */
    static final Duration GATE_PATIENCE = Duration.ofSeconds(30);

    private MonitorServer(ClaimResult.Claimed claim, Server jetty, EventStore store, LiveFeed feed, Mission mission) {
        this.claim = claim;
        this.jetty = jetty;
        this.store = store;
        this.feed = feed;
        this.mission = mission;
    }

    /**
     * Optional, before {@link #start}: does on the calling thread the one-time work {@code start} would
     * otherwise do itself and that needs neither the claim nor the database: Jetty's {@link JettyTuning},
     * the static tables of its MIME types (which enumerate every installed locale) and of its HTTP parser,
     * the method handles its thread pool looks up (virtual threads, {@code Subject}),
     * loading SQLite's native library and its connection settings' date formats, and Jackson's first
     * parse (the price table). A process that serves a monitor calls it on a thread of its own while it
     * claims the port, so the two overlap. Safe to call from any thread, concurrently with {@code start}
     * and more than once; it keeps nothing and reports nothing: what fails here fails again, and is
     * reported, in {@code start}.
     */
    public static void warmUp() {
        warmUpStore();
        warmUpHttp();
    }

    /**
     * The part of {@link #warmUp()} the {@link Backend}'s open needs: SQLite's native library and its
     * connection settings' date formats, then the price table the ledger takes (and with it Jackson's first
     * parse), which is ready by the time the store has opened. Same contract as {@code warmUp}.
     */
    public static void warmUpStore() {
        try {
            SQLiteJDBCLoader.initialize();
            new SQLiteConfig().newConnectionConfig();
        } catch (Exception | LinkageError reportedByStart) {
            // start() does the same work and reports what fails
        }
        try {
            Prices.shipped();
        } catch (RuntimeException | LinkageError reportedByStart) {
            // the ledger reads it again and reports what fails
        }
    }

    /**
     * The rest of {@link #warmUp()}: Jetty's tables and look-ups. Same contract as {@code warmUp}.
     */
    public static void warmUpHttp() {
        JettyTuning.apply();
        try {
            Objects.requireNonNull(MimeTypes.DEFAULTS);
            VirtualThreads.areSupported(); // Jetty's start looks these two up by reflection
            SecurityUtils.getSecurityManager();
            Objects.requireNonNull(HttpParser.CACHE);
        } catch (Exception | LinkageError reportedByStart) {
            // start() does the same work and reports what fails
        }
    }

    /**
     * Serves on the claimed sockets. On failure the claim is released (sockets closed, record removed)
     * and the exception propagates.
     *
     * <p>The {@link Backend} (store, feed, ledger, board) opens on its own thread, and the API is built on it
     * there, while this one builds and starts Jetty. Until both are done, Jetty's handler is a {@link
     * StartGate}: a
     * request accepted meanwhile waits there and is then answered by the API, so {@code /health} still
     * answers only once everything is open, and a hook is stored as it would be a moment later.
     */
    public static MonitorServer start(ClaimResult.Claimed claim, MonitorConfig config) {
        JettyTuning.apply();
        AtomicReference<MonitorServer> self = new AtomicReference<>();
        Backend.Opening<Api> opening =
                Backend.openAsync(config, parts -> Api.build(parts, claim, config, self), Api::close);
        Api api = null;
        Server jetty = null;
        StartGate gate = new StartGate(GATE_PATIENCE);
        try {
            QueuedThreadPool pool = new QueuedThreadPool(64, 4);
            pool.setName("monitor-http");
            pool.setDaemon(true);
            jetty = new Server(pool);
            jetty.setStopTimeout(2000);
            HttpConfiguration http = new HttpConfiguration();
            http.setSendServerVersion(false);
            http.setSendXPoweredBy(false);
            http.setRequestHeaderSize(16 * 1024);
            // A stream id may hold a '/': the dashboard sends it as %2F, and the router keeps it in the id.
            http.setUriCompliance(UriCompliance.DEFAULT.with(
                    "encoded-slash-in-ids", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
            // The same-user socket first: Jetty stops it (deleting its file) before it frees the port.
            UnixDomainServerConnector local = LocalApi.add(jetty, http, claim.localSocket());
            // No acceptor thread (0): the selector accepts, so a hook on a new connection is not handed
            // from an acceptor to the selector first (p50 0.87x in the bench; docs/benchmarks.md).
            ConnectionCap cap = new ConnectionCap(pool); // another user's idle flood must not take every fd
            for (ServerSocketChannel channel : claim.channels()) {
                ServerConnector connector = new ServerConnector(jetty, 0, 1, new HttpConnectionFactory(http));
                connector.setIdleTimeout(60_000);
                connector.addBean(cap);
                connector.open(channel);
                jetty.addConnector(connector);
            }
            jetty.setErrorHandler(new JsonErrors());
            jetty.setHandler(gate);
            jetty.start(); // serves as soon as it runs; the gate holds requests until the API exists
            LocalApi.restrict(local);
            api = opening.await();
            Backend parts = api.backend();
            MonitorServer server = new MonitorServer(claim, jetty, parts.store(), parts.feed(), api.mission());
            self.set(server); // before the gate opens: the API's shutdown route calls it
            gate.open(api.handler());
            return server;
        } catch (Exception | Error e) {
            gate.fail(String.valueOf(e.getMessage()));
            if (jetty != null) {
                try {
                    jetty.stop();
                } catch (Exception ignored) {
                    // already failing
                }
            }
            if (api != null) api.close();
            else opening.closeWhenOpened();
            claim.close();
            if (e instanceof RuntimeException r) throw r;
            if (e instanceof Error err) throw err;
            throw new IllegalStateException("cannot start the monitor on port " + claim.port() + ": " + e, e);
        }
    }

    /**
     * What serves the API, built on the {@link Backend}'s thread as soon as the backend is open (while Jetty
     * may still start on the caller's): the routes, the permission desk and the mission over the parts.
     */
    private record Api(Backend backend, PermissionDesk desk, Mission mission, ApiHandler handler) {
        static Api build(
                Backend backend, ClaimResult.Claimed claim, MonitorConfig config, AtomicReference<MonitorServer> self) {
            Guard guard = new Guard(config.registry(), config.extraHosts(), claim.port(), config.clock());
            Ingest ingest = new Ingest(config.trimAbove(), config.trimKeep());
            AtomicReference<ApiHandler> handler = new AtomicReference<>();
            PermissionDesk desk = new PermissionDesk(
                    config.permissionSettings(),
                    () -> handler.get() == null ? 0 : handler.get().liveClients(),
                    config.clock());
            try {
                // a prompt rejected in the terminal is reported by the transcript alone
                desk.every(
                        Duration.ofSeconds(2),
                        new TerminalAnswers(backend.store(), config.claudeHome(), desk::settle)::check);
                Mission mission = new Mission(
                        backend.board(),
                        backend.ledger(),
                        desk,
                        new Importer(backend.store(), config.claudeHome(), ingest, config.clock()),
                        config.claudeHome());
                ServiceIdentity identity = claim.identity();
                ApiHandler api = new ApiHandler(
                        () -> identity,
                        guard,
                        ingest,
                        backend.store(),
                        backend.feed(),
                        config,
                        mission,
                        () -> self.get().close());
                handler.set(api);
                return new Api(backend, desk, mission, api);
            } catch (RuntimeException | Error e) {
                desk.close(); // the backend is closed by the opening
                throw e;
            }
        }

        void close() {
            desk.close();
            backend.close();
        }
    }

    public int port() {
        return claim.port();
    }

    public ServiceIdentity identity() {
        return claim.identity();
    }

    public EventStore store() {
        return store;
    }

    /** The board (for tests and benchmarks: {@link Board#sync()}). */
    public Board board() {
        return mission.board();
    }

    /** Blocks until {@link #close()} finished (from any thread, or {@code POST /api/shutdown}). */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Waits at most {@code millis} for the stop; true when it finished. */
    public boolean awaitStop(long millis) throws InterruptedException {
        return stopped.await(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            try {
                stopped.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        try {
            feed.close();
            mission.desk().close(); // held prompts go back to the terminal before Jetty stops
            try {
                jetty.stop();
            } catch (Exception e) {
                System.err.println("solo-monitor: Jetty did not stop cleanly: " + e);
            }
            for (ServerSocketChannel c : claim.channels()) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // Jetty closed it already
                }
            }
            mission.board().close();
            mission.ledger().close();
            store.close();
            claim.close();
        } finally {
            stopped.countDown();
        }
    }
}
