package dev.solo.monitor.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.solo.monitor.transcript.ClaudeHome;
import dev.solo.monitor.transcript.TranscriptException;
import dev.solo.monitor.transcript.TranscriptPager;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Tokens and cost of each stream, from its transcripts: the main one named by the hooks' {@code
 * transcript_path} and its subagents' ({@code <session>/subagents/agent-<id>.jsonl}). Each file is
 * read once, from where the last read stopped, so following a growing session costs only what it
 * appended. Claude Code writes one line per content block with the same message {@code id} and
 * {@code usage}: each message id counts once.
 *
 * <p>{@link #touch} asks for a refresh; refreshes run on the ledger's own thread ({@code
 * monitor-transcripts}), at most one per stream every {@link #DELAY_MS} ms, never on an ingest or
 * request thread. Reads are thread-safe. {@link #close()} stops the thread (bounded wait).
 */
public final class Ledger implements AutoCloseable {
    static final long DELAY_MS = 300;
    private static final int CHUNK = 4 * 1024 * 1024;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Prices prices;
    private final ClaudeHome home;
    private final ZoneId zone;
    private final Map<String, Book> books = new ConcurrentHashMap<>();
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService thread;

    /** What one stream cost, per agent and per day. Guarded by itself. */
    private static final class Book {
        volatile String transcript;
        volatile String error;
        volatile boolean missing;
        /** True once a refresh has finished (read, or failed with {@link #error}): before, nothing is known. */
        volatile boolean read;

        final Map<Path, Long> offsets = new HashMap<>();
        final Set<String> seen = new HashSet<>();
        final Tally total = new Tally();
        final Map<String, Tally> agents = new LinkedHashMap<>();
        final Map<LocalDate, Tally> days = new HashMap<>();
        String model;
    }

    public Ledger(Prices prices, ClaudeHome home, ZoneId zone) {
        this.prices = prices;
        this.home = home;
        this.zone = zone;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "monitor-transcripts");
            t.setDaemon(true);
            return t;
        });
    }

    public Prices prices() {
        return prices;
    }

    /** The stream's transcript is {@code transcriptPath} and may have grown: read it again soon. */
    public void touch(String stream, String transcriptPath) {
        if (transcriptPath == null || transcriptPath.isBlank()) return;
        Book b = books.computeIfAbsent(stream, k -> new Book());
        b.transcript = transcriptPath;
        if (!pending.add(stream)) return;
        try {
            thread.schedule(
                    () -> {
                        pending.remove(stream);
                        refresh(stream);
                    },
                    DELAY_MS,
                    TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            pending.remove(stream);
        }
    }

    /** Reads what was appended to the stream's transcripts since the last read (on the caller's thread). */
    public void refresh(String stream) {
        Book b = books.get(stream);
        if (b == null || b.transcript == null) return;
        try {
            Path main = home.check(b.transcript);
            read(b, main, "main");
            Path dir = ClaudeHome.subagentsDir(main);
            if (Files.isDirectory(dir)) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "agent-*.jsonl")) {
                    for (Path f : files) {
                        String name = f.getFileName().toString();
                        String agent = name.substring(6, name.length() - 6);
                        read(b, home.subagent(main, agent), agent);
                    }
                }
            }
            b.error = null;
            b.missing = false;
        } catch (TranscriptException e) {
            b.error = e.getMessage();
            b.missing = e.missing();
        } catch (IOException e) {
            b.error = "cannot read the transcript " + b.transcript + ": " + e.getMessage();
            b.missing = false;
        } finally {
            b.read = true;
        }
    }

    private void read(Book b, Path file, String agent) throws IOException {
        while (true) {
            long from;
            synchronized (b) {
                from = b.offsets.getOrDefault(file, 0L);
            }
            TranscriptPager.Page page = TranscriptPager.forward(file, from, CHUNK);
            synchronized (b) {
                for (TranscriptPager.Line l : page.lines()) {
                    if (l.tooLong() || !l.text().contains("\"usage\"")) continue;
                    count(b, file, agent, l.text());
                }
                b.offsets.put(file, page.end());
            }
            if (page.lines().isEmpty() || page.atEnd()) return;
        }
    }

    private void count(Book b, Path file, String agent, String line) {
        JsonNode e;
        try {
            e = MAPPER.readTree(line);
        } catch (IOException ex) {
            return;
        }
        if (!"assistant".equals(e.path("type").asText())) return;
        JsonNode msg = e.path("message");
        String id = msg.path("id").asText(null);
        if (id != null && !b.seen.add(file.getFileName() + "/" + id)) return;
        String model = msg.path("model").asText(null);
        if ("<synthetic>".equals(model)) return; // Claude Code's own placeholder messages cost nothing
        Usage u = Usage.of(msg.get("usage"));
        String who = e.path("isSidechain").asBoolean() && e.hasNonNull("agentId") && agent.equals("main")
                ? e.get("agentId").asText()
                : agent;
        b.total.add(prices, model, u);
        b.agents.computeIfAbsent(who, k -> new Tally()).add(prices, model, u);
        LocalDate day = day(e.path("timestamp").asText(null));
        b.days.computeIfAbsent(day, k -> new Tally()).add(prices, model, u);
        if (model != null) b.model = model;
    }

    private LocalDate day(String iso) {
        try {
            return Instant.parse(iso).atZone(zone).toLocalDate();
        } catch (RuntimeException e) {
            return LocalDate.now(zone);
        }
    }

    /**
     * {@code {total, agents: {main|agentId: tally}, model, error, missing}} of a stream, or null when
     * nothing was read for it yet (no transcript named, or its first read not finished: a transcript
     * not read is not one that cost nothing). {@code error} says why the last read failed (null when it
     * worked); {@code missing} is true when that was only because the file is not there (yet).
     */
    public Map<String, Object> of(String stream) {
        Book b = books.get(stream);
        if (b == null || !b.read) return null;
        synchronized (b) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("total", b.total.toMap());
            Map<String, Object> agents = new LinkedHashMap<>();
            b.agents.forEach((k, v) -> agents.put(k, v.toMap()));
            m.put("agents", agents);
            m.put("model", b.model);
            m.put("error", b.error);
            m.put("missing", b.missing);
            return m;
        }
    }

    /** The total of one stream (a copy), or null. */
    public Tally total(String stream) {
        Book b = books.get(stream);
        if (b == null) return null;
        synchronized (b) {
            Tally t = new Tally();
            t.add(b.total);
            return t;
        }
    }

    /** {@code {today, week}} across every stream: calls made today, and since Monday, in the monitor's zone. */
    public Map<String, Object> periods(LocalDate today) {
        LocalDate monday = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        Tally day = new Tally();
        Tally week = new Tally();
        for (Book b : new ArrayList<>(books.values())) {
            synchronized (b) {
                b.days.forEach((d, t) -> {
                    if (d.equals(today)) day.add(t);
                    if (!d.isBefore(monday) && !d.isAfter(today)) week.add(t);
                });
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("today", day.toMap());
        m.put("week", week.toMap());
        return m;
    }

    /** The streams the ledger has read. */
    public List<String> streams() {
        return new ArrayList<>(books.keySet());
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                System.err.println("solo-monitor: the transcript reader did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
