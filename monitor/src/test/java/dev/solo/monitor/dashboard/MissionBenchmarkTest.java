package dev.solo.monitor.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.solo.monitor.transcript.ClaudeHome;
import dev.solo.testing.Chromium;
import dev.solo.testing.OptIn;
import dev.solo.testing.Prerequisite;
import dev.solo.testing.Requires;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mission-control figures (docs/benchmarks-dashboard.md), each with a baseline measured in the same
 * run: (1) the board with 50 live streams at 200 events/s: post → the card shows it, p95, against the
 * ingest round trip; (2) the conversation view of a 50 MB transcript: navigation → first screen, against
 * a 23 KB one; (3) a held permission prompt: click on Allow → the hook's answer received by the client,
 * against an unheld hook round trip. Opt-in: {@code SOLO_BENCH=1 ./mvnw -pl monitor -am test
 * -Dtest=MissionBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false}. It prints the figures.
 */
@OptIn(
        value = "SOLO_BENCH",
        command =
                "SOLO_BENCH=1 ./mvnw -pl monitor -am test -Dtest=MissionBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false")
@Requires(Prerequisite.CHROMIUM)
@Timeout(900)
class MissionBenchmarkTest {
    @TempDir
    Path home;

    @Test
    void boardConversationAndHeldAnswer() throws Exception {
        PlaywrightAssertions.setDefaultAssertionTimeout(60_000);
        Path claude = home.resolve(".claude");
        Sessions.install(claude);
        try (Monitor monitor = new Monitor(home, new ClaudeHome(claude));
                Chromium browser = Chromium.launch();
                BrowserContext context = browser.browser()
                        .newContext(
                                new com.microsoft.playwright.Browser.NewContextOptions().setViewportSize(1600, 1000))) {
            Page page = context.newPage();
            board(monitor, page);
            conversation(monitor, page, claude);
            held(monitor, page);
        }
    }

    static String pre(String stream, int seq, long sent) {
        return "{\"session_id\":\"" + stream + "\",\"cwd\":\"/home/me/p" + stream.substring(6)
                + "\",\"hook_event_name\":"
                + "\"PreToolUse\",\"tool_name\":\"Bash\",\"tool_use_id\":\"t" + seq + "\",\"tool_input\":{\"command\":"
                + "\"bench-" + sent + "-" + seq + "\"}}";
    }

    static String post(String stream, int seq) {
        return "{\"session_id\":\"" + stream + "\",\"hook_event_name\":\"PostToolUse\",\"tool_name\":\"Bash\","
                + "\"tool_use_id\":\"t" + seq
                + "\",\"tool_input\":{\"command\":\"x\"},\"tool_response\":{\"stdout\":\"ok\"}}";
    }

    void board(Monitor monitor, Page page) throws Exception {
        int streams = 50;
        int rate = 200;
        int seconds = 10;
        for (int s = 0; s < streams; s++) monitor.post(pre(String.format("bench-%02d", s), -s - 1, 0));
        page.navigate(monitor.link());
        assertThat(page.locator("#conn")).hasAttribute("data-state", "live");
        assertThat(page.locator("#board > .cards > .card")).hasCount(streams);
        page.evaluate(
                "() => { window.__seen = {}; new MutationObserver(() => {"
                        + " for (const d of document.querySelectorAll('#board .card .doing')) {"
                        + "  const m = /bench-(\\d+)-(\\d+)/.exec(d.textContent); if (!m || m[1] === '0') continue;"
                        + "  if (!(m[2] in window.__seen)) window.__seen[m[2]] = Date.now() - Number(m[1]); } })"
                        + ".observe(document.getElementById('board'), { childList: true, subtree: true, characterData: true }); }");
        List<Long> ingest = new ArrayList<>();
        ScheduledExecutorService pace = Executors.newScheduledThreadPool(4);
        AtomicInteger seq = new AtomicInteger();
        List<CompletableFuture<?>> sent = new ArrayList<>();
        long periodNanos = 1_000_000_000L / rate;
        int total = rate * seconds;
        var done = new java.util.concurrent.CountDownLatch(total);
        // each tick: one stream answers its running call (PostToolUse) and starts the next (PreToolUse);
        // a stream's call runs for 50 ticks (0.5 s at 100 ticks/s), so its card has time to show it
        int[] running = new int[streams];
        Arrays.fill(running, -1);
        long tickNanos = 2 * periodNanos;
        var task = pace.scheduleAtFixedRate(
                () -> {
                    int n = seq.getAndIncrement();
                    if (n >= total / 2) return;
                    int s = n % streams;
                    String stream = String.format("bench-%02d", s);
                    int previous;
                    synchronized (running) {
                        previous = running[s];
                        running[s] = n;
                    }
                    sent.add(CompletableFuture.runAsync(
                            () -> {
                                long t = System.nanoTime();
                                if (previous >= 0) monitor.post(post(stream, previous));
                                monitor.post(pre(stream, n, System.currentTimeMillis()));
                                synchronized (ingest) {
                                    ingest.add((System.nanoTime() - t) / 2);
                                }
                                done.countDown();
                                done.countDown();
                            },
                            pace));
                },
                0,
                tickNanos,
                TimeUnit.NANOSECONDS);
        done.await(seconds * 6L, TimeUnit.SECONDS);
        task.cancel(false);
        pace.shutdown();
        page.waitForTimeout(1000); // the last frame
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> seen = (java.util.Map<String, Object>) page.evaluate("() => window.__seen");
        long[] lat = seen.values().stream()
                .mapToLong(v -> ((Number) v).longValue())
                .sorted()
                .toArray();
        long[] in;
        synchronized (ingest) {
            in = ingest.stream().mapToLong(v -> v / 1_000_000).sorted().toArray();
        }
        System.out.printf(
                "BOARD %d streams, %d events/s for %d s: %d of %d tool calls seen on their card; post → card p50 %d ms,"
                        + " p95 %d ms, p99 %d ms, max %d ms; baseline ingest round trip p50 %d ms, p95 %d ms; ratio p95 %.1fx%n",
                streams,
                rate,
                seconds,
                lat.length,
                total / 2,
                pct(lat, 50),
                pct(lat, 95),
                pct(lat, 99),
                lat.length == 0 ? -1 : lat[lat.length - 1],
                pct(in, 50),
                pct(in, 95),
                pct(lat, 95) / (double) Math.max(1, pct(in, 95)));
    }

    void conversation(Monitor monitor, Page page, Path claude) throws Exception {
        Path dir = claude.resolve("projects").resolve("-bench");
        Files.createDirectories(dir);
        Path big = dir.resolve("big-session-0001.jsonl");
        List<String> lines = Files.readAllLines(
                Sessions.resources().resolve("claude/projects/-tmp-dash-proj-alpha/" + Sessions.ALPHA + ".jsonl"));
        long bytes = 0;
        int copy = 0;
        try (BufferedWriter w = Files.newBufferedWriter(big, StandardCharsets.UTF_8)) {
            while (bytes < 50L * 1024 * 1024) {
                for (String l : lines) {
                    String out = l.replace("\"uuid\":\"", "\"uuid\":\"c" + copy + "-")
                            .replace("\"id\":\"msg_", "\"id\":\"msg_" + copy);
                    w.write(out);
                    w.write('\n');
                    bytes += out.length() + 1;
                }
                copy++;
            }
        }
        Path small = Sessions.resources().resolve("claude/projects/-tmp-dash-proj-alpha/" + Sessions.ALPHA + ".jsonl");
        Path smallCopy = Files.copy(small, dir.resolve("small-session-0001.jsonl"));
        monitor.post("{\"session_id\":\"big-session\",\"hook_event_name\":\"SessionStart\",\"transcript_path\":\"" + big
                + "\"}");
        monitor.post("{\"session_id\":\"small-session\",\"hook_event_name\":\"SessionStart\",\"transcript_path\":\""
                + smallCopy + "\"}");
        monitor.server().board().sync();
        double[] bigMs = new double[7];
        double[] smallMs = new double[7];
        for (int i = 0; i < bigMs.length; i++) {
            smallMs[i] = firstScreen(page, monitor, "small-session");
            bigMs[i] = firstScreen(page, monitor, "big-session");
        }
        double[] b = Arrays.copyOfRange(bigMs, 2, bigMs.length);
        double[] s = Arrays.copyOfRange(smallMs, 2, smallMs.length);
        Arrays.sort(b);
        Arrays.sort(s);
        System.out.printf(
                "CONVERSATION %.1f MB transcript (%d copies of a real session): navigation → first screen median %.0f ms,"
                        + " max %.0f ms (5 runs after 2 warm-ups); baseline %d KB transcript median %.0f ms; ratio %.2fx%n",
                Files.size(big) / 1048576.0,
                copy,
                b[b.length / 2],
                b[b.length - 1],
                Files.size(smallCopy) / 1024,
                s[s.length / 2],
                b[b.length / 2] / s[s.length / 2]);
    }

    double firstScreen(Page page, Monitor monitor, String stream) {
        page.navigate(monitor.base() + "/?stream=" + stream + "&view=conversation");
        page.waitForFunction("() => performance.getEntriesByName('solo:conversation').length > 0");
        return ((Number) page.evaluate("() => performance.getEntriesByName('solo:conversation')[0].startTime"))
                .doubleValue();
    }

    void held(Monitor monitor, Page page) throws Exception {
        page.navigate(monitor.link());
        assertThat(page.locator("#conn")).hasAttribute("data-state", "live");
        page.locator("#hold-all").check();
        assertThat(page.locator("#hold-all")).isChecked();
        String request = "{\"session_id\":\"held\",\"cwd\":\"/home/me/held\",\"hook_event_name\":\"PermissionRequest\","
                + "\"tool_name\":\"Write\",\"tool_input\":{\"file_path\":\"/home/me/held/notes.txt\",\"content\":\"x\"}}";
        String plain = "{\"session_id\":\"held\",\"hook_event_name\":\"PostToolUse\",\"tool_name\":\"Write\"}";
        page.evaluate(
                "() => document.addEventListener('click', (e) => {"
                        + " if (e.target.closest('button.allow')) window.__clicked = performance.timeOrigin + performance.now(); }, true)");
        int runs = 20;
        double[] lat = new double[runs];
        double[] base = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            monitor.post(plain);
            base[i] = (System.nanoTime() - t) / 1e6;
            CompletableFuture<Long> answered = CompletableFuture.supplyAsync(() -> {
                String body = monitor.postForAnswer(request);
                if (!body.contains("allow")) throw new IllegalStateException("no decision: " + body);
                return System.currentTimeMillis();
            });
            page.locator("#board .card .hold button.allow").click();
            long got = answered.get(30, TimeUnit.SECONDS);
            double clicked = ((Number) page.evaluate("() => window.__clicked")).doubleValue();
            lat[i] = got - clicked;
            assertThat(page.locator("#board .card .hold")).hasCount(0);
        }
        Arrays.sort(lat);
        Arrays.sort(base);
        System.out.printf(
                "HELD %d prompts: click on Allow → the hook's answer at the client median %.1f ms, p95 %.1f ms, max %.1f ms;"
                        + " baseline unheld hook round trip median %.1f ms; ratio median %.1fx%n",
                runs,
                lat[runs / 2],
                lat[(int) Math.ceil(runs * 0.95) - 1],
                lat[runs - 1],
                base[runs / 2],
                lat[runs / 2] / base[runs / 2]);
    }

    static long pct(long[] sorted, int p) {
        if (sorted.length == 0) return -1;
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p / 100.0) - 1)];
    }
}
