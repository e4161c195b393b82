package dev.solo.bench.monitor;

import static dev.solo.bench.monitor.MonitorReport.format;

import dev.solo.bench.monitor.MonitorReport.Row;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Benchmark 3 of issue 3: 50 Server-Sent-Events clients of {@code /api/live} while hooks arrive at 2,000
 * events per second.
 *
 * <p>A monitor runs in this JVM ({@link InProcessMonitor}). 50 client threads each hold one SSE
 * connection ({@link HttpConn#openStream}, chunked, as a browser's {@code EventSource} reads it). Producer
 * threads post the fixture payloads on a fixed schedule (event {@code k} is due {@code k / rate} seconds
 * after the start), each with two extra fields the store keeps as it keeps every unknown field: {@code
 * bench_k}, the event's number, and {@code bench_t}, {@code System.nanoTime()} just before its request is
 * written. A client takes the delivery time of an event when it has read its {@code data:} line.
 *
 * <p>Delivery latency therefore covers the whole path: request, parse, group commit, live ring, the
 * client's SSE thread, the socket and the reading client. The first seconds are a warm-up; latencies of
 * the events after it count. A client is complete when it received every acknowledged event exactly
 * once, with growing ids, and its connection never failed.
 */
final class FanOutBench {
    static final int CLIENTS = 50;
    static final int RATE = 2000;
    private static final int PRODUCERS = 4;
    private static final int WARMUP_SECONDS = 3;
    private static final long DRAIN_SECONDS = 30;

    private FanOutBench() {}

    /** What one SSE client saw. */
    private static final class Client {
        final Samples latencies = new Samples();
        final BitSet seen = new BitSet();
        int received;
        int duplicates;
        String error;
    }

    static List<Row> run(List<byte[]> payloads, int seconds, PrintStream log) throws IOException, InterruptedException {
        int total = RATE * (WARMUP_SECONDS + seconds);
        int warmupEvents = RATE * WARMUP_SECONDS;
        try (InProcessMonitor monitor = InProcessMonitor.start()) {
            CountDownLatch connected = new CountDownLatch(CLIENTS);
            CountDownLatch finished = new CountDownLatch(CLIENTS);
            List<Client> clients = new ArrayList<>();
            List<HttpConn> conns = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                Client c = new Client();
                HttpConn conn = new HttpConn(monitor.port(), monitor.token());
                clients.add(c);
                conns.add(conn);
                Thread t = new Thread(
                        () -> listen(conn, c, total, warmupEvents, connected, finished), "bench-sse-client-" + i);
                t.setDaemon(true);
                t.start();
            }
            try {
                if (!connected.await(30, TimeUnit.SECONDS)) throw new IOException("the SSE clients did not connect");
                Produced p = produce(monitor, payloads, total);
                finished.await(DRAIN_SECONDS, TimeUnit.SECONDS);
                return rows(clients, p, total, warmupEvents, seconds, log);
            } finally {
                for (HttpConn c : conns) c.close();
            }
        }
    }

    /** What the producers achieved: events acknowledged, the elapsed time, and the worst lag behind schedule. */
    private record Produced(int acked, long nanos, long maxLagNanos) {}

    private static Produced produce(InProcessMonitor monitor, List<byte[]> payloads, int total)
            throws IOException, InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger acked = new AtomicInteger();
        AtomicLong maxLag = new AtomicLong();
        AtomicReference<String> failure = new AtomicReference<>();
        long interval = 1_000_000_000L / RATE;
        long start = System.nanoTime() + 20_000_000L;
        List<Thread> producers = new ArrayList<>();
        for (int i = 0; i < PRODUCERS; i++) {
            Thread t = new Thread(
                    () -> {
                        try (HttpConn c = new HttpConn(monitor.port(), monitor.token())) {
                            for (int k = next.getAndIncrement();
                                    k < total && failure.get() == null;
                                    k = next.getAndIncrement()) {
                                long due = start + k * interval;
                                for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
                                    LockSupport.parkNanos(due - now);
                                }
                                long t0 = System.nanoTime();
                                maxLag.accumulateAndGet(t0 - due, Math::max);
                                HttpConn.Answer a =
                                        c.post("/api/hooks", stamped(payloads.get(k % payloads.size()), k, t0));
                                if (a.status() != 200)
                                    failure.compareAndSet(null, "POST answered " + a.status() + ": " + a.text());
                                else acked.incrementAndGet();
                            }
                        } catch (IOException | RuntimeException e) {
                            failure.compareAndSet(null, e.toString());
                        }
                    },
                    "bench-sse-producer-" + i);
            producers.add(t);
            t.start();
        }
        for (Thread t : producers) t.join();
        if (failure.get() != null) throw new IOException("the producers failed: " + failure.get());
        return new Produced(acked.get(), System.nanoTime() - start, maxLag.get());
    }

    /** The payload with {@code "bench_k":k,"bench_t":t,} inserted after its opening brace. */
    static byte[] stamped(byte[] payload, int k, long t) {
        String json = new String(payload, StandardCharsets.UTF_8);
        int brace = json.indexOf('{');
        return (json.substring(0, brace + 1) + "\"bench_k\":" + k + ",\"bench_t\":" + t + ","
                        + json.substring(brace + 1))
                .getBytes(StandardCharsets.UTF_8);
    }

    private static void listen(
            HttpConn conn, Client c, int total, int warmupEvents, CountDownLatch connected, CountDownLatch finished) {
        try {
            HttpConn.Input in = conn.openStream("/api/live");
            connected.countDown();
            long lastId = -1;
            String line;
            while (c.received < total && (line = in.readLine()) != null) {
                if (line.startsWith("id: ")) {
                    long id = Long.parseLong(line.substring(4));
                    if (id <= lastId) c.duplicates++;
                    lastId = id;
                } else if (line.startsWith("data: ")) {
                    long now = System.nanoTime();
                    int k = (int) number(line, "\"bench_k\":");
                    long sent = number(line, "\"bench_t\":");
                    if (c.seen.get(k)) c.duplicates++;
                    c.seen.set(k);
                    c.received++;
                    if (k >= warmupEvents) c.latencies.add(now - sent);
                }
            }
        } catch (IOException | RuntimeException e) {
            c.error = e.toString();
        } finally {
            connected.countDown();
            finished.countDown();
        }
    }

    private static long number(String line, String key) {
        int at = line.indexOf(key);
        if (at < 0) throw new IllegalStateException("no " + key + " in the event: " + line);
        int i = at + key.length();
        int end = i;
        while (end < line.length() && Character.isDigit(line.charAt(end))) end++;
        return Long.parseLong(line.substring(i, end));
    }

    private static List<Row> rows(
            List<Client> clients, Produced p, int total, int warmupEvents, int seconds, PrintStream log) {
        Samples all = new Samples();
        int complete = 0;
        String firstProblem = null;
        for (int i = 0; i < clients.size(); i++) {
            Client c = clients.get(i);
            boolean ok = c.error == null
                    && c.duplicates == 0
                    && c.received == p.acked()
                    && c.seen.cardinality() == p.acked();
            if (ok) complete++;
            else if (firstProblem == null) {
                firstProblem = "client " + i + ": received " + c.received + " of " + p.acked() + ", duplicates "
                        + c.duplicates + (c.error != null ? ", " + c.error : "");
            }
            all.addAll(c.latencies);
        }
        double rate = p.acked() / (p.nanos() / 1e9);
        log.printf(
                "  fan-out: %d events acked in %.1f s (%.0f /s), max producer lag %.1f ms; %d/%d clients complete%n",
                p.acked(), p.nanos() / 1e9, rate, p.maxLagNanos() / 1e6, complete, clients.size());
        if (firstProblem != null) log.println("  fan-out: " + firstProblem);
        List<Row> rows = new ArrayList<>();
        double p99 = all.percentileMillis(99);
        rows.add(Row.judged(
                "fan-out: p99 delivery, 50 SSE clients, 2,000 events/s", format("%.1f ms", p99), "≤ 50 ms", p99 <= 50));
        rows.add(Row.info(
                "fan-out: p50 / p99.9 / max delivery",
                format("%.1f / %.1f / %.1f ms", all.medianMillis(), all.percentileMillis(99.9), all.maxMillis()),
                "",
                ""));
        rows.add(Row.judged(
                "fan-out: clients that got every event once",
                format("%d of %d", complete, clients.size()),
                "no client dropped",
                complete == clients.size()));
        rows.add(Row.judged(
                "fan-out: producer rate achieved",
                format("%,.0f /s (max lag %.0f ms)", rate, p.maxLagNanos() / 1e6),
                "2,000 /s (±2%)",
                p.acked() == total && rate >= RATE * 0.98));
        rows.add(Row.note(format(
                "fan-out: %,d events (%d s warm-up + %d s measured), %d producer connections;"
                        + " %,d delivery samples",
                total, WARMUP_SECONDS, seconds, PRODUCERS, all.size())));
        return rows;
    }
}
