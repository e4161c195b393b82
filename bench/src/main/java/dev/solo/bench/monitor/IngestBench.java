package dev.solo.bench.monitor;

import static dev.solo.bench.monitor.MonitorReport.format;

import dev.solo.bench.monitor.MonitorReport.Row;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Benchmark 2 of issue 3: hook ingest over HTTP keep-alive from 8 client threads, persisted.
 *
 * <p>A monitor runs in this JVM ({@link InProcessMonitor}, default config, SQLite in a temporary
 * directory). Each client thread holds one keep-alive connection and posts the fixture payloads
 * round-robin to {@code /api/hooks}, each as soon as the previous one was answered. The server answers
 * 200 only after the event's transaction committed, so every answer counted is a persisted event; at
 * the end the store's row count must equal the number of 200s. The baseline, measured the same way just
 * before, is {@link BareJetty}: the same Jetty answering without doing anything.
 *
 * <p>Throughput: events answered per second in each window of a second, median over the measured windows.
 * Latency: from the request's write to the end of its answer, measured in the client. The server does
 * not expose its own handling time, so the p99 shown is the client's, an upper bound of the server-side
 * p99 (it adds the client's thread wake-up and the loopback round trip).
 */
final class IngestBench {
    static final int THREADS = 8;
    private static final int WARMUP_SECONDS = 3;

    private IngestBench() {}

    /** Events/s of each measured second, the latencies, and how many requests were answered 200 in all. */
    private record Measured(long[] perSecond, Samples latencies, long answered) {
        double medianRate() {
            long[] sorted = perSecond.clone();
            Arrays.sort(sorted);
            return sorted[sorted.length / 2];
        }

        String rate() {
            long[] sorted = perSecond.clone();
            Arrays.sort(sorted);
            return format("%,.0f /s (%,d–%,d)", medianRate(), sorted[0], sorted[sorted.length - 1]);
        }
    }

    static List<Row> run(List<byte[]> payloads, int seconds, PrintStream log) throws IOException, InterruptedException {
        Measured bare;
        try (BareJetty jetty = BareJetty.start()) {
            bare = measure(jetty.port(), "none", payloads, seconds);
        } catch (IOException | InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("the bare Jetty baseline failed: " + e, e);
        }
        Measured m;
        long stored;
        try (InProcessMonitor monitor = InProcessMonitor.start()) {
            m = measure(monitor.port(), monitor.token(), payloads, seconds);
            stored = monitor.server().store().count();
        }
        log.printf(
                "  ingest: bare Jetty %s; monitor %s; %d answered, %d stored%n",
                Arrays.toString(bare.perSecond()), Arrays.toString(m.perSecond()), m.answered(), stored);
        Samples all = m.latencies();
        List<Row> rows = new ArrayList<>();
        rows.add(Row.info("ingest: baseline, bare Jetty answering 200, 8 threads", bare.rate(), "", ""));
        rows.add(Row.info(
                "ingest: baseline p50 / p99, client-side",
                format(
                        "%.2f / %.2f ms",
                        bare.latencies().medianMillis(), bare.latencies().percentileMillis(99)),
                "",
                ""));
        rows.add(new Row(
                "ingest: events/s, 8 threads, keep-alive, persisted",
                m.rate(),
                format("bare Jetty %,.0f /s", bare.medianRate()),
                format("%.2f×", m.medianRate() / bare.medianRate()),
                "≥ 20,000 /s",
                m.medianRate() >= 20_000 ? "PASS" : "**MISS**"));
        double p99 = all.percentileMillis(99);
        rows.add(Row.judged(
                "ingest: p99 per event, client-side (bounds server-side)", format("%.2f ms", p99), "≤ 2 ms", p99 <= 2));
        rows.add(Row.info(
                "ingest: p50 / p99.9 / max, client-side",
                format("%.2f / %.2f / %.1f ms", all.medianMillis(), all.percentileMillis(99.9), all.maxMillis()),
                "",
                ""));
        rows.add(Row.judged(
                "ingest: events stored = events answered 200",
                format("%,d = %,d", stored, m.answered()),
                "equal",
                stored == m.answered()));
        rows.add(Row.note(format(
                "ingest: %d payloads round-robin, %d s warm-up, %d one-second windows"
                        + " (median, min–max); %,d latency samples",
                payloads.size(), WARMUP_SECONDS, seconds, all.size())));
        return rows;
    }

    /** Posts from {@link #THREADS} threads for the warm-up plus {@code seconds}; fails on any non-200. */
    private static Measured measure(int port, String token, List<byte[]> payloads, int seconds)
            throws IOException, InterruptedException {
        AtomicLong answered = new AtomicLong();
        AtomicReference<String> failure = new AtomicReference<>();
        Samples[] latencies = new Samples[THREADS];
        Thread[] clients = new Thread[THREADS];
        long from = System.nanoTime() + WARMUP_SECONDS * 1_000_000_000L;
        long to = from + seconds * 1_000_000_000L;
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            latencies[t] = new Samples();
            clients[t] = new Thread(
                    () -> post(port, token, payloads, id, latencies[id], answered, failure, from, to),
                    "bench-ingest-client-" + t);
        }
        for (Thread c : clients) c.start();
        long[] perSecond = new long[seconds];
        sleepUntil(from);
        long last = answered.get();
        for (int s = 0; s < seconds && failure.get() == null; s++) {
            sleepUntil(from + (s + 1) * 1_000_000_000L);
            long now = answered.get();
            perSecond[s] = now - last;
            last = now;
        }
        for (Thread c : clients) c.join();
        if (failure.get() != null) throw new IOException("ingest failed: " + failure.get());
        Samples all = new Samples();
        for (Samples s : latencies) all.addAll(s);
        return new Measured(perSecond, all, answered.get());
    }

    private static void post(
            int port,
            String token,
            List<byte[]> payloads,
            int id,
            Samples latencies,
            AtomicLong answered,
            AtomicReference<String> failure,
            long from,
            long to) {
        try (HttpConn c = new HttpConn(port, token)) {
            for (int i = id; failure.get() == null; i += THREADS) {
                byte[] body = payloads.get(i % payloads.size());
                long t0 = System.nanoTime();
                if (t0 >= to) return;
                HttpConn.Answer a = c.post("/api/hooks", body);
                long t1 = System.nanoTime();
                if (a.status() != 200) {
                    failure.compareAndSet(null, "POST /api/hooks answered " + a.status() + ": " + a.text());
                    return;
                }
                answered.incrementAndGet();
                if (t0 >= from) latencies.add(t1 - t0);
            }
        } catch (IOException | RuntimeException e) {
            failure.compareAndSet(null, e.toString());
        }
    }

    static void sleepUntil(long deadline) throws InterruptedException {
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            Thread.sleep(Math.max(1, left / 1_000_000));
        }
    }
}
