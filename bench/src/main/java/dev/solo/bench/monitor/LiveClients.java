package dev.solo.bench.monitor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Dashboard-like live clients: each holds one {@code GET /api/live?view=row} Server-Sent-Events
 * connection (the feed the dashboard page opens) on its own thread and counts the events it reads.
 * {@link #close()} closes every connection; the threads end with them.
 */
final class LiveClients implements AutoCloseable {
    private final List<HttpConn> conns = new ArrayList<>();
    private final AtomicInteger[] received;
    private final AtomicReference<String> failure = new AtomicReference<>();

    private LiveClients(int n) {
        received = new AtomicInteger[n];
        for (int i = 0; i < n; i++) received[i] = new AtomicInteger();
    }

    /** Connects {@code n} clients with {@code token}; returns once every one has its answer's head. */
    static LiveClients open(int port, String token, int n) throws IOException, InterruptedException {
        LiveClients c = new LiveClients(n);
        CountDownLatch connected = new CountDownLatch(n);
        try {
            for (int i = 0; i < n; i++) {
                HttpConn conn = new HttpConn(port, token);
                c.conns.add(conn);
                AtomicInteger count = c.received[i];
                Thread t = new Thread(() -> c.listen(conn, count, connected), "bench-live-client-" + i);
                t.setDaemon(true);
                t.start();
            }
            if (!connected.await(60, TimeUnit.SECONDS)) throw new IOException("the live clients did not connect");
            if (c.failure.get() != null) throw new IOException("a live client failed: " + c.failure.get());
            return c;
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void listen(HttpConn conn, AtomicInteger count, CountDownLatch connected) {
        try {
            HttpConn.Input in = conn.openStream("/api/live?view=row");
            connected.countDown();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("data: ")) count.incrementAndGet();
            }
        } catch (IOException | RuntimeException e) {
            if (connected.getCount() > 0) failure.compareAndSet(null, e.toString()); // not a close at the end
        } finally {
            connected.countDown();
        }
    }

    /** Waits until every client has read at least {@code events} events; false after {@code seconds}. */
    boolean awaitEach(int events, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (AtomicInteger r : received) {
            while (r.get() < events) {
                if (System.nanoTime() > deadline) return false;
                Thread.sleep(10); // a benchmark's poll of its own counters, not a test's synchronisation
            }
        }
        return true;
    }

    @Override
    public void close() {
        for (HttpConn c : conns) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing at the end
            }
        }
    }
}
