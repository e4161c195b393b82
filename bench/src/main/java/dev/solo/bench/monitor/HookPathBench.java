package dev.solo.bench.monitor;

import static dev.solo.bench.monitor.MonitorReport.format;

import dev.solo.bench.monitor.MonitorReport.Row;
import dev.solo.monitor.security.IngestKey;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 14's hook-path targets, against the monitor as a user runs it: a separate process started by
 * {@code solo monitor --no-browser} from a {@link SoloInstall} copy, so with the JVM flags (and
 * class-data-sharing archive) of {@code Launcher.javaCommand()} ({@link ServerChild}; for an A/B of JVM
 * flags, {@code -Dsolo.bench.childFlags="-XX:TieredStopAtLevel=4"} adds flags that win over them).
 *
 * <ul>
 *   <li><b>Latency as Claude Code sees it</b>: one client, a new TCP connection per event (Claude Code's
 *       HTTP hooks do not keep connections), {@code POST /api/hooks} with the ingest key, timed from the
 *       connect to the end of the answer, client-side. The answer follows the commit. Baseline in the same
 *       run: {@link BareJetty} (in this JVM) answering 200 to the same requests.
 *   <li><b>Server CPU per 1,000 events</b>: 8 keep-alive clients post for the measured seconds after a
 *       warm-up; the monitor process's user + system CPU time ({@code /proc/<pid>/stat}: every thread,
 *       GC and JIT included) over the events answered in that window.
 *   <li>At the end, the events the monitor counts ({@code /api/status}) must equal the 200s it gave.
 * </ul>
 */
final class HookPathBench {
    static final int LATENCY_EVENTS = 3000;
    static final int LATENCY_WARMUP = 1000;
    static final int THREADS = 8;
    static final int WARMUP_SECONDS = 3;
    private static final Pattern EVENTS = Pattern.compile("\"events\":(\\d+)");

    private HookPathBench() {}

    static List<Row> run(java.nio.file.Path repo, List<byte[]> payloads, int seconds, PrintStream log)
            throws IOException, InterruptedException {
        Samples bare;
        Load bareLoad;
        try (BareJetty jetty = BareJetty.start()) {
            bare = newConnectionPerEvent(jetty.port(), "none", payloads);
            // the floor: what Jetty's own threads spend per event with nothing behind them
            bareLoad = load(jetty.port(), "none", ProcessHandle.current().pid(), payloads, seconds);
        } catch (IOException | InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("the bare Jetty baseline failed: " + e, e);
        }
        List<String> extra =
                List.of(System.getProperty("solo.bench.childFlags", "").split(" +"));
        extra = extra.stream().filter(f -> !f.isBlank()).toList();
        try (SoloInstall solo = SoloInstall.copyOf(repo, FreePorts.free(new java.util.Random()))) {
            List<String> command = ServerChild.commandOf(solo);
            String key = IngestKey.loadOrCreate(solo.home()).value();
            Samples latency;
            Load load;
            long sent = LATENCY_EVENTS + LATENCY_WARMUP;
            long counted;
            try (ServerChild server = ServerChild.start(solo, command, extra)) {
                latency = newConnectionPerEvent(solo.port(), key, payloads);
                load = load(solo.port(), key, server.pid(), payloads, seconds);
                sent += load.answered();
                try (HttpConn c = new HttpConn(solo.port(), solo.token())) {
                    Matcher m = EVENTS.matcher(c.get("/api/status").text());
                    counted = m.find() ? Long.parseLong(m.group(1)) : -1;
                }
            }
            log.printf(
                    "  hook path: 8 clients %s events/s; CPU %,d ms for %,d events%s%n",
                    Arrays.toString(load.perSecond()),
                    load.cpuMillis(),
                    load.measured(),
                    extra.isEmpty() ? "" : "; extra JVM flags " + extra);
            List<Row> rows = rows(bare, latency, load, sent, counted, payloads.size());
            rows.add(rows.size() - 1, bareFloor(bareLoad, load));
            return rows;
        }
    }

    /**
     * The same load against a peer monitor that already runs: {@code kind}'s request ({@link PeerRequests})
     * to {@code url}, its CPU from {@code pid} (-1: not measured). The peer's stored rows are counted in its
     * own database afterwards, by the reader.
     */
    static List<Row> runPeer(
            String kind, java.net.URI url, long pid, List<byte[]> payloads, int seconds, PrintStream log)
            throws IOException, InterruptedException {
        List<byte[]> bodies = PeerRequests.wrap(kind, payloads);
        Samples bare;
        try (BareJetty jetty = BareJetty.start()) {
            bare = newConnectionPerEvent(jetty.port(), "none", bodies);
        } catch (IOException | InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("the bare Jetty baseline failed: " + e, e);
        }
        int port = url.getPort();
        String path = url.getRawPath();
        Samples latency = newConnectionPerEvent(port, path, "none", bodies);
        Load load = load(port, path, "none", pid, bodies, seconds);
        log.printf(
                "  hook path (peer %s at %s): 8 clients %s events/s; CPU %,d ms for %,d events; %,d posted in all%n",
                kind,
                url,
                Arrays.toString(load.perSecond()),
                load.cpuMillis(),
                load.measured(),
                LATENCY_EVENTS + LATENCY_WARMUP + load.answered());
        List<Row> rows = rows(bare, latency, load, -1, -1, payloads.size());
        rows.removeIf(r -> r.benchmark().contains("events the monitor counts"));
        List<Row> named = new ArrayList<>();
        for (Row r : rows) {
            named.add(new Row(
                    r.benchmark().replace("hook path:", "hook path, peer " + kind + ":"),
                    r.value(),
                    r.baseline(),
                    r.ratio(),
                    r.target(),
                    r.result()));
        }
        return named;
    }

    /** Sequential posts, each on a new connection; the measured samples follow a warm-up. */
    private static Samples newConnectionPerEvent(int port, String key, List<byte[]> payloads) throws IOException {
        return newConnectionPerEvent(port, "/api/hooks", key, payloads);
    }

    private static Samples newConnectionPerEvent(int port, String path, String key, List<byte[]> payloads)
            throws IOException {
        Samples s = new Samples();
        for (int i = 0; i < LATENCY_WARMUP + LATENCY_EVENTS; i++) {
            byte[] body = payloads.get(i % payloads.size());
            long t0 = System.nanoTime();
            HttpConn.Answer a;
            try (HttpConn c = new HttpConn(port, key)) {
                a = c.post(path, body);
            }
            long t1 = System.nanoTime();
            if (a.status() / 100 != 2)
                throw new IOException("POST " + path + " answered " + a.status() + ": " + a.text());
            if (i >= LATENCY_WARMUP) s.add(t1 - t0);
        }
        return s;
    }

    /** 8 keep-alive clients: events per measured second, answers in all, and CPU over the measured window. */
    private record Load(
            long[] perSecond, long answered, long measured, long cpuMillis, java.util.Map<String, Long> byThread) {
        double medianRate() {
            long[] sorted = perSecond.clone();
            Arrays.sort(sorted);
            return sorted[sorted.length / 2];
        }
    }

    private static Load load(int port, String key, long pid, List<byte[]> payloads, int seconds)
            throws IOException, InterruptedException {
        return load(port, "/api/hooks", key, pid, payloads, seconds);
    }

    private static Load load(int port, String path, String key, long pid, List<byte[]> payloads, int seconds)
            throws IOException, InterruptedException {
        AtomicLong answered = new AtomicLong();
        AtomicReference<String> failure = new AtomicReference<>();
        long from = System.nanoTime() + WARMUP_SECONDS * 1_000_000_000L;
        long to = from + seconds * 1_000_000_000L;
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            Thread th = new Thread(
                    () -> {
                        try (HttpConn c = new HttpConn(port, key)) {
                            for (int i = id; failure.get() == null && System.nanoTime() < to; i += THREADS) {
                                HttpConn.Answer a = c.post(path, payloads.get(i % payloads.size()));
                                if (a.status() / 100 != 2) {
                                    failure.compareAndSet(null, "POST answered " + a.status() + ": " + a.text());
                                    return;
                                }
                                answered.incrementAndGet();
                            }
                        } catch (IOException | RuntimeException e) {
                            failure.compareAndSet(null, e.toString());
                        }
                    },
                    "bench-hook-client-" + t);
            clients.add(th);
            th.start();
        }
        IngestBench.sleepUntil(from);
        long cpu0 = ProcStat.cpuMillis(pid);
        java.util.Map<String, Long> threads0 = ProcStat.threadCpuMillis(pid);
        long first = answered.get();
        long last = first;
        long[] perSecond = new long[seconds];
        for (int s = 0; s < seconds; s++) {
            IngestBench.sleepUntil(from + (s + 1) * 1_000_000_000L);
            long now = answered.get();
            perSecond[s] = now - last;
            last = now;
        }
        long cpu1 = ProcStat.cpuMillis(pid);
        java.util.Map<String, Long> byThread = new java.util.TreeMap<>(ProcStat.threadCpuMillis(pid));
        threads0.forEach((name, ms) -> byThread.merge(name, -ms, Long::sum));
        byThread.values().removeIf(ms -> ms <= 0);
        for (Thread t : clients) t.join();
        if (failure.get() != null) throw new IOException("the hook clients failed: " + failure.get());
        return new Load(perSecond, answered.get(), last - first, cpu0 < 0 || cpu1 < 0 ? -1 : cpu1 - cpu0, byThread);
    }

    /**
     * The CPU floor: the bare Jetty's own threads ({@code bench-bare-http}: acceptor, selector, handlers)
     * per 1,000 events under the same 8-client load, against the monitor's whole process.
     */
    private static Row bareFloor(Load bare, Load monitor) {
        long ms = bare.byThread().getOrDefault("bench-bare-http", -1L);
        double perK = ms >= 0 && bare.measured() > 0 ? ms * 1000.0 / bare.measured() : -1;
        double monitorPerK = monitor.measured() > 0 ? monitor.cpuMillis() * 1000.0 / monitor.measured() : -1;
        return new Row(
                "hook path: baseline, bare Jetty's own threads, CPU per 1,000 events, 8 keep-alive clients"
                        + format(" (%,.0f /s)", bare.medianRate()),
                format("%.0f ms", perK),
                "",
                perK > 0 && monitorPerK > 0 ? format("monitor %.2f×", monitorPerK / perK) : "",
                "",
                "");
    }

    private static List<Row> rows(Samples bare, Samples latency, Load load, long sent, long counted, int payloads) {
        List<Row> rows = new ArrayList<>();
        rows.add(Row.info(
                "hook path: baseline, bare Jetty, new connection per event, p50 / p99",
                format("%.2f / %.2f ms", bare.medianMillis(), bare.percentileMillis(99)),
                "",
                ""));
        double p50 = latency.medianMillis();
        double p99 = latency.percentileMillis(99);
        rows.add(new Row(
                "hook path: p50, new connection per event, one client",
                format("%.2f ms", p50),
                format("bare Jetty %.2f ms", bare.medianMillis()),
                format("%.2f×", p50 / bare.medianMillis()),
                "≤ 0.4 ms",
                p50 <= 0.4 ? "PASS" : "**MISS**"));
        rows.add(new Row(
                "hook path: p99, new connection per event, one client",
                format("%.2f ms", p99),
                format("bare Jetty %.2f ms", bare.percentileMillis(99)),
                format("%.2f×", p99 / bare.percentileMillis(99)),
                "≤ 2 ms",
                p99 <= 2 ? "PASS" : "**MISS**"));
        rows.add(Row.info(
                "hook path: p99.9 / max, new connection per event",
                format("%.2f / %.1f ms", latency.percentileMillis(99.9), latency.maxMillis()),
                "",
                ""));
        double perK = load.measured() > 0 && load.cpuMillis() >= 0 ? load.cpuMillis() * 1000.0 / load.measured() : -1;
        rows.add(Row.judged(
                "hook path: server CPU per 1,000 events, 8 keep-alive clients",
                format("%.0f ms", perK),
                "≤ 60 ms",
                perK >= 0 && perK <= 60));
        StringBuilder split = new StringBuilder();
        load.byThread().entrySet().stream()
                .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> split.append(split.length() == 0 ? "" : ", ")
                        .append(e.getKey())
                        .append(' ')
                        .append(format("%.0f", e.getValue() * 1000.0 / Math.max(1, load.measured()))));
        rows.add(Row.note("hook path: server CPU per 1,000 events by thread (ms): " + split));
        rows.add(Row.info(
                "hook path: events/s, 8 keep-alive clients, monitor process",
                format("%,.0f /s", load.medianRate()),
                "",
                ""));
        rows.add(Row.judged(
                "hook path: events the monitor counts = events answered 200",
                format("%,d = %,d", counted, sent),
                "equal",
                counted == sent));
        rows.add(Row.note(format(
                "hook path: %d payloads round-robin; latency: %,d events after %,d warm-up, connect to end of"
                        + " answer; CPU: %d s after %d s warm-up, utime+stime of /proc/<pid>/stat",
                payloads, LATENCY_EVENTS, LATENCY_WARMUP, load.perSecond().length, WARMUP_SECONDS)));
        return rows;
    }
}
