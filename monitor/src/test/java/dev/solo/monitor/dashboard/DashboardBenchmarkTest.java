package dev.solo.monitor.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.google.gson.JsonObject;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.solo.monitor.ingest.Ingest;
import dev.solo.monitor.store.StoredEvent;
import dev.solo.testing.Chromium;
import dev.solo.testing.OptIn;
import dev.solo.testing.Prerequisite;
import dev.solo.testing.Requires;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's figures (docs/benchmarks-dashboard.md): first meaningful paint of a stream with
 * 100,000 stored events among 20 streams, and how long a posted event takes to show while 500 events/s
 * arrive. Opt-in: {@code SOLO_BENCH=1 ./mvnw -pl monitor test -Dtest=DashboardBenchmarkTest}.
 * It prints the figures; it asserts only that the page worked.
 */
@OptIn(
        value = "SOLO_BENCH",
        command =
                "SOLO_BENCH=1 ./mvnw -pl monitor -am test -Dtest=DashboardBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false")
@Requires(Prerequisite.CHROMIUM)
@Timeout(900)
class DashboardBenchmarkTest {
    static final int BIG = 100_000;
    static final int STREAMS = 20;
    static final int RATE = 500;
    static final int SECONDS = 10;

    @TempDir
    Path home;

    @Test
    void firstPaintOfABigStreamAndLiveLatency() throws Exception {
        try (Monitor monitor = new Monitor(home);
                Chromium browser = Chromium.launch()) {
            long t0 = System.nanoTime();
            fill(monitor);
            System.out.printf(
                    "stored %,d events in %d streams in %.1f s%n",
                    BIG + (STREAMS - 1) * 500, STREAMS, (System.nanoTime() - t0) / 1e9);

            try (BrowserContext context = browser.browser().newContext()) {
                Page page = context.newPage();
                page.navigate(monitor.link());
                assertThat(page.locator("#conn")).hasAttribute("data-state", "live"); // logged in: the session is kept
                List<Double> paints = new ArrayList<>();
                for (int i = 0; i < 7; i++) {
                    page.navigate(monitor.base() + "/?view=events&stream=big&r=" + i);
                    assertThat(page.locator("#events .row").first()).isVisible();
                    Object ms = page.evaluate(
                            "() => new Promise(r => { const f = () => { const e = performance.getEntriesByName('solo:first-rows');"
                                    + " e.length ? r(e[0].startTime) : setTimeout(f, 10); }; f(); })");
                    if (i > 1) paints.add(((Number) ms).doubleValue()); // the first two warm the JVM's paths
                }
                paints.sort(null);
                System.out.printf(
                        "first meaningful paint of a %,d-event stream: median %.0f ms, max %.0f ms (%d runs)%n",
                        BIG, paints.get(paints.size() / 2), paints.get(paints.size() - 1), paints.size());

                page.navigate(monitor.base() + "/?view=events&stream=lat");
                assertThat(page.locator("#conn")).hasAttribute("data-state", "live");
                page.evaluate("() => { window.__seen = new Map(); new MutationObserver(() => {"
                        + " for (const r of document.querySelectorAll('#events .row')) { if (window.__seen.has(r.id)) continue;"
                        + " const m = /sent: (\\d+)/.exec(r.textContent); if (m) window.__seen.set(r.id, Date.now() - Number(m[1])); }"
                        + " }).observe(document.getElementById('events'), {childList: true, subtree: true}); }");
                // the page's JavaScript profile while the rows arrive (open it in Chromium's DevTools)
                var cdp = page.context().newCDPSession(page);
                cdp.send("Profiler.enable");
                JsonObject interval = new JsonObject();
                interval.addProperty("interval", 200);
                cdp.send("Profiler.setSamplingInterval", interval);
                cdp.send("Performance.enable");
                Map<String, Double> before = metrics(cdp.send("Performance.getMetrics"));
                cdp.send("Profiler.start");
                int sent = sendAtRate(monitor);
                JsonObject profile = cdp.send("Profiler.stop").getAsJsonObject("profile");
                Map<String, Double> after = metrics(cdp.send("Performance.getMetrics"));
                System.out.printf(
                        "the page's thread in those seconds: tasks %.2f s, of which script %.2f s, style %.2f s, layout %.2f s (%d layouts, %d style recalculations)%n",
                        after.get("TaskDuration") - before.get("TaskDuration"),
                        after.get("ScriptDuration") - before.get("ScriptDuration"),
                        after.get("RecalcStyleDuration") - before.get("RecalcStyleDuration"),
                        after.get("LayoutDuration") - before.get("LayoutDuration"),
                        Math.round(after.get("LayoutCount") - before.get("LayoutCount")),
                        Math.round(after.get("RecalcStyleCount") - before.get("RecalcStyleCount")));
                Path saved = Path.of("target", "dashboard-live.cpuprofile");
                Files.writeString(saved, profile.toString());
                System.out.printf("the page while they arrived: %s (%s)%n", busy(profile), saved.toAbsolutePath());
                // until no new row has been drawn for 2 s (8 senders: the last sequence number need not be the
                // newest row, and the virtual list draws only the rows in view)
                page.waitForFunction(
                        "() => { const n = window.__seen.size, now = Date.now();"
                                + " if (window.__n !== n) { window.__n = n; window.__t = now; return false; }"
                                + " return n > 0 && now - window.__t > 2000; }",
                        null,
                        new Page.WaitForFunctionOptions()
                                .setPollingInterval(200)
                                .setTimeout(60_000));
                Object raw = page.evaluate("() => [...window.__seen.values()]");
                double[] lat = ((List<?>) raw)
                        .stream().mapToDouble(o -> ((Number) o).doubleValue()).toArray();
                Arrays.sort(lat);
                System.out.printf(
                        "posted → visible at %d events/s for %d s: %d seen, p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                        RATE, SECONDS, lat.length, pct(lat, 50), pct(lat, 95), pct(lat, 99), lat[lat.length - 1]);
            }
        }
    }

    /** Chromium's {@code Performance.getMetrics} as name → value. */
    static Map<String, Double> metrics(JsonObject answer) {
        Map<String, Double> m = new HashMap<>();
        for (var e : answer.getAsJsonArray("metrics")) {
            m.put(
                    e.getAsJsonObject().get("name").getAsString(),
                    e.getAsJsonObject().get("value").getAsDouble());
        }
        return m;
    }

    /** How much of the profile the page's thread was busy, and the three functions it spent most in. */
    static String busy(JsonObject profile) {
        Map<Integer, String> names = new HashMap<>();
        for (var n : profile.getAsJsonArray("nodes")) {
            JsonObject f = n.getAsJsonObject().getAsJsonObject("callFrame");
            String url = f.get("url").getAsString();
            String name = f.get("functionName").getAsString(); // "(idle)", "(program)": no url
            names.put(
                    n.getAsJsonObject().get("id").getAsInt(),
                    url.isEmpty() ? name : name + " " + url.substring(url.lastIndexOf('/') + 1));
        }
        Map<String, Long> self = new HashMap<>();
        var samples = profile.getAsJsonArray("samples");
        var deltas = profile.getAsJsonArray("timeDeltas");
        long sum = 0;
        for (int i = 0; i < samples.size(); i++) {
            long d = deltas.get(i).getAsLong();
            sum += d;
            self.merge(names.get(samples.get(i).getAsInt()), d, Long::sum);
        }
        long total = sum;
        long idle = self.getOrDefault("(idle)", 0L);
        StringBuilder top = new StringBuilder();
        self.entrySet().stream()
                .filter(e -> !e.getKey().equals("(idle)"))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(4)
                .forEach(e ->
                        top.append(String.format(", %s %.0f%%", e.getKey().strip(), 100.0 * e.getValue() / total)));
        return String.format("busy %.0f%% of %.1f s%s", 100.0 * (total - idle) / total, total / 1e6, top);
    }

    static double pct(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    /** 100,000 events in stream "big" and 500 in each of 19 others, straight into the store. */
    static void fill(Monitor monitor) throws Exception {
        Ingest ingest = new Ingest();
        String[] shapes = {
            Monitor.fixture("UserPromptSubmit"),
            Monitor.fixture("PreToolUse"),
            Monitor.fixture("PostToolUse"),
            Monitor.fixture("variants/PostToolUse.Edit"),
            Monitor.fixture("variants/PostToolUse.Read")
        };
        List<CompletableFuture<StoredEvent>> pending = new ArrayList<>();
        int total = BIG + (STREAMS - 1) * 500;
        for (int i = 0; i < total; i++) {
            String stream = i < BIG ? "big" : "s" + ((i - BIG) / 500);
            String json = shapes[i % shapes.length].replace("777e68b4-1ad1-4f6c-9d81-64d0cae95a84", stream);
            pending.add(monitor.server().store().append(ingest.hook(json.getBytes(StandardCharsets.UTF_8))));
            // an append is answered once in the inbox, and the writer may owe at most 16 Mi characters (then
            // appends are refused): every 2,000, wait until the database holds them
            if (pending.size() == 2_000) {
                CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                        .join();
                pending.clear();
                monitor.server().store().awaitStored();
            }
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
    }

    /**
     * Posts RATE events a second for SECONDS over HTTP, each stamped with the time its tick was due, and
     * prints how long the monitor took to answer them (so a late row can be told from a late sender).
     * Eight plain keep-alive HTTP/1.1 connections, one per thread, take the ticks from a queue: each
     * request goes out in one write and its answer is read in place, as a hook client's would be. (The
     * JDK {@code HttpClient} queued the events itself: its answers came later than the rows were drawn.)
     */
    static int sendAtRate(Monitor monitor) throws Exception {
        int total = RATE * SECONDS;
        BlockingQueue<Long> ticks = new LinkedBlockingQueue<>();
        double[] acked = new double[total];
        AtomicInteger nAcked = new AtomicInteger();
        List<Thread> senders = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger seq = new AtomicInteger();
        for (int i = 0; i < 8; i++) {
            Thread t = new Thread(
                    () -> {
                        try (Connection c = new Connection(monitor.port(), monitor.token)) {
                            for (long due = ticks.take(); due >= 0; due = ticks.take()) {
                                String body = "{\"session_id\":\"lat\",\"hook_event_name\":\"BenchEvent\",\"sent\":"
                                        + due + ",\"seq\":" + seq.getAndIncrement() + "}";
                                int status = c.post("/api/hooks", body.getBytes(StandardCharsets.UTF_8));
                                if (status != 200)
                                    throw new IllegalStateException("POST /api/hooks answered " + status);
                                acked[nAcked.getAndIncrement()] = System.currentTimeMillis() - due;
                            }
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    },
                    "bench-sender-" + i);
            t.start();
            senders.add(t);
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger ticked = new AtomicInteger();
        var task = timer.scheduleAtFixedRate(
                () -> {
                    if (ticked.getAndIncrement() >= total) {
                        done.countDown();
                        return;
                    }
                    ticks.add(System.currentTimeMillis());
                },
                0,
                1_000_000 / RATE,
                TimeUnit.MICROSECONDS);
        try {
            if (!done.await(SECONDS + 60, TimeUnit.SECONDS)) throw new IllegalStateException("the timer fell behind");
            task.cancel(false);
        } finally {
            timer.shutdownNow();
            for (int i = 0; i < senders.size(); i++) ticks.add(-1L);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (Thread t : senders) t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            for (Thread t : senders) t.interrupt();
        }
        if (!failures.isEmpty())
            throw new IllegalStateException("a sender failed: " + failures.get(0), failures.get(0));
        double[] ack = Arrays.copyOf(acked, nAcked.get());
        Arrays.sort(ack);
        System.out.printf(
                "the sender's answers, due → answered: p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms (%d)%n",
                pct(ack, 50), pct(ack, 95), pct(ack, 99), ack[ack.length - 1], ack.length);
        return total;
    }

    /** One keep-alive HTTP/1.1 connection; a request is one write, its answer is read in place. */
    static final class Connection implements AutoCloseable {
        private final Socket socket = new Socket();
        private final BufferedInputStream in;
        private final OutputStream out;
        private final String head;

        Connection(int port, String token) throws IOException {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            socket.setSoTimeout(30_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            head = " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nContent-Length: ";
        }

        /** Sends {@code POST path} and reads the whole answer; returns its status. */
        int post(String path, byte[] body) throws IOException {
            byte[] start = ("POST " + path + head + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] request = Arrays.copyOf(start, start.length + body.length);
            System.arraycopy(body, 0, request, start.length, body.length);
            out.write(request);
            String status = line();
            int length = 0;
            for (String h = line(); !h.isEmpty(); h = line()) {
                if (h.regionMatches(true, 0, "content-length:", 0, 15))
                    length = Integer.parseInt(h.substring(15).trim());
            }
            in.readNBytes(length);
            return Integer.parseInt(status.substring(9, 12));
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) throw new EOFException("the monitor closed the connection mid-answer: " + b);
                if (c != '\r') b.append((char) c);
            }
            return b.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
