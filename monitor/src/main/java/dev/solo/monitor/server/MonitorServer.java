package dev.solo.monitor.server;

import dev.solo.core.ClaimResult;
import dev.solo.core.ServiceIdentity;
import dev.solo.monitor.ingest.Ingest;
import dev.solo.monitor.live.LiveFeed;
import dev.solo.monitor.security.Guard;
import dev.solo.monitor.store.EventStore;
import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The monitor resident: Jetty serving on the sockets solo-core already bound, the event store and
 * the live feed.
 *
 * <p>The listening sockets come from {@link ClaimResult.Claimed}: they are handed to Jetty's
 * connectors as they are ({@link ServerConnector#open(ServerSocketChannel)}), never closed and bound
 * again, so no other process can slip in between the claim and the serving.
 *
 * <p>{@link #close()} stops in a fixed order, each step bounded: live feeds end, Jetty stops (the
 * port is free once it returns), the store commits what it has queued and closes, the registry
 * record goes. Idempotent; {@link #awaitStop()} returns once it finished.
 */
public final class MonitorServer implements AutoCloseable {
    private final ClaimResult.Claimed claim;
    private final Server jetty;
    private final EventStore store;
    private final LiveFeed feed;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private MonitorServer(ClaimResult.Claimed claim, Server jetty, EventStore store, LiveFeed feed) {
        this.claim = claim;
        this.jetty = jetty;
        this.store = store;
        this.feed = feed;
    }

    /**
     * Serves on the claimed sockets. On failure the claim is released (sockets closed, record removed)
     * and the exception propagates.
     */
    public static MonitorServer start(ClaimResult.Claimed claim, MonitorConfig config) {
        EventStore store = null;
        Server jetty = null;
        try {
            AtomicReference<LiveFeed> feedRef = new AtomicReference<>();
            store = EventStore.open(config.database(), config.clock(), config.retention(), batch -> {
                LiveFeed f = feedRef.get();
                if (f != null) f.publish(batch);
            });
            LiveFeed feed = new LiveFeed(store, config.ringSize());
            feedRef.set(feed);

            QueuedThreadPool pool = new QueuedThreadPool(64, 4);
            pool.setName("monitor-http");
            pool.setDaemon(true);
            jetty = new Server(pool);
            jetty.setStopTimeout(2000);
            HttpConfiguration http = new HttpConfiguration();
            http.setSendServerVersion(false);
            http.setSendXPoweredBy(false);
            http.setRequestHeaderSize(16 * 1024);
            for (ServerSocketChannel channel : claim.channels()) {
                ServerConnector connector = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(http));
                connector.setIdleTimeout(60_000);
                connector.open(channel);
                jetty.addConnector(connector);
            }
            Guard guard = new Guard(config.registry(), config.extraHosts(), claim.port());
            Ingest ingest = new Ingest(config.trimAbove(), config.trimKeep());
            MonitorServer server = new MonitorServer(claim, jetty, store, feed);
            ServiceIdentity identity = claim.identity();
            jetty.setHandler(new ApiHandler(() -> identity, guard, ingest, store, feed, config, server::close));
            jetty.start();
            return server;
        } catch (Exception e) {
            if (jetty != null) {
                try {
                    jetty.stop();
                } catch (Exception ignored) {
                    // already failing
                }
            }
            if (store != null) store.close();
            claim.close();
            if (e instanceof RuntimeException r) throw r;
            throw new IllegalStateException("cannot start the monitor on port " + claim.port() + ": " + e, e);
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
            store.close();
            claim.close();
        } finally {
            stopped.countDown();
        }
    }
}
