package dev.solo.monitor.board;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.solo.monitor.cost.Ledger;
import dev.solo.monitor.cost.Tally;
import dev.solo.monitor.derive.StreamStatus;
import dev.solo.monitor.derive.Summary;
import dev.solo.monitor.store.EventQuery;
import dev.solo.monitor.store.EventStore;
import dev.solo.monitor.store.StoredEvent;
import dev.solo.monitor.store.StreamInfo;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The board: one {@link StreamCard} per stream, derived event by event as batches commit.
 *
 * <p>Per-event cost: committed batches are handed over by reference ({@link #accept}, on the store's
 * writer thread: one queue offer per batch); the board's own thread ({@code monitor-board}) parses each
 * payload once and updates its card, and asks the {@link Ledger} to re-read the stream's transcript
 * (at most once per 300 ms per stream, on the ledger's thread). Ingest and request threads never
 * derive board state. At start the board replays the latest {@value #REPLAY} events of each stream.
 *
 * <p>{@link #snapshot} is thread-safe. {@link #close()} stops the thread (bounded wait).
 */
public final class Board implements AutoCloseable {
    static final int REPLAY = 500;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final EventStore store;
    private final Ledger ledger;
    private final Clock clock;
    private final ZoneId zone;
    private final Map<String, StreamCard> cards = new HashMap<>();
    private final ExecutorService thread;
    private final Set<String> changedDuringReplay = ConcurrentHashMap.newKeySet();
    private volatile boolean replaying = true;

    public Board(EventStore store, Ledger ledger, Clock clock, ZoneId zone) {
        this.store = store;
        this.ledger = ledger;
        this.clock = clock;
        this.zone = zone;
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "monitor-board");
            t.setDaemon(true);
            return t;
        });
        thread.execute(this::replay);
    }

    /**
     * Committed events, in id order (called by the store's writer thread; returns at once). While the
     * start's replay runs (seconds, on a large history), a batch is not queued but its streams are noted, and
     * read back from the store once the replay is done: a queue of every event that arrived meanwhile held
     * them all in memory (20,000 events, 19 MB, in the footprint benchmark at a million stored events).
     */
    public void accept(List<StoredEvent> batch) {
        if (replaying) {
            for (StoredEvent e : batch) changedDuringReplay.add(e.stream());
            if (replaying) return;
            execute(this::replayChanged); // the replay ended meanwhile and may not have seen these
            return;
        }
        execute(() -> apply(batch));
    }

    private void execute(Runnable r) {
        try {
            thread.execute(r);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // shutting down
        }
    }

    private void replay() {
        for (StreamInfo s : store.streams()) replay(s.id());
        replaying = false;
        replayChanged();
    }

    /** The streams that got events during the replay, read back (a card ignores events it has seen). */
    private void replayChanged() {
        for (String stream : List.copyOf(changedDuringReplay)) {
            changedDuringReplay.remove(stream);
            replay(stream);
        }
    }

    /** A card from the latest {@value #REPLAY} events of {@code stream} (the store's reads wait for the writer). */
    private void replay(String stream) {
        List<StoredEvent> page =
                new ArrayList<>(store.page(new EventQuery(List.of(stream), List.of(), List.of(), null, 0, -1, REPLAY)));
        Collections.reverse(page);
        apply(page);
    }

    private void apply(List<StoredEvent> batch) {
        for (StoredEvent e : batch) {
            JsonNode p;
            try {
                p = Summary.hookObject(MAPPER.readTree(e.json()));
            } catch (IOException ex) {
                continue;
            }
            StreamCard c;
            synchronized (this) {
                c = cards.computeIfAbsent(e.stream(), StreamCard::new);
                c.apply(e, p);
            }
            if (c.transcriptPath != null) ledger.touch(e.stream(), c.transcriptPath);
        }
    }

    /** Waits until every event acknowledged before this call is applied (for tests and benchmarks). */
    public void sync() throws InterruptedException {
        store.awaitStored(); // its batch is handed over once it is in the database
        var done = new java.util.concurrent.CountDownLatch(1);
        thread.execute(done::countDown);
        done.await(10, TimeUnit.SECONDS);
    }

    /**
     * The board: {@code streams} (waiting for you first, then working, idle, ended; the most recent
     * first within each), each a stream's summary plus its card and {@code cost}; and {@code totals}:
     * all streams, today and this week, and per project (by working directory).
     */
    public Map<String, Object> snapshot() {
        long now = clock.millis();
        long idleAfter = StreamStatus.IDLE_AFTER.toMillis();
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, Tally> projects = new LinkedHashMap<>();
        Map<String, Integer> projectStreams = new HashMap<>();
        Tally all = new Tally();
        for (StreamInfo s : store.streams()) {
            Map<String, Object> m = StreamStatus.toMap(s, now);
            Map<String, Object> card;
            synchronized (this) {
                StreamCard c = cards.get(s.id());
                card = c == null ? null : c.toMap(now, idleAfter);
            }
            if (card != null) m.putAll(card);
            else m.put("status", StreamStatus.of(s, now));
            m.put("project", project(s.cwd()));
            Map<String, Object> cost = ledger.of(s.id());
            m.put("cost", cost);
            Tally t = ledger.total(s.id());
            if (t != null) {
                all.add(t);
                String key = s.cwd() == null ? "(unknown)" : s.cwd();
                projects.computeIfAbsent(key, k -> new Tally()).add(t);
                projectStreams.merge(key, 1, Integer::sum);
            }
            out.add(m);
        }
        out.sort(Comparator.comparingInt((Map<String, Object> m) -> order((String) m.get("status")))
                .thenComparing(m -> (String) m.get("last_seen"), Comparator.reverseOrder()));
        List<Map<String, Object>> perProject = new ArrayList<>();
        projects.forEach((cwd, t) -> {
            Map<String, Object> p = t.toMap();
            p.put("cwd", cwd);
            p.put("project", project(cwd));
            p.put("streams", projectStreams.get(cwd));
            perProject.add(p);
        });
        perProject.sort(Comparator.comparingDouble((Map<String, Object> p) -> (Double) p.get("usd"))
                .reversed());
        Map<String, Object> totals = new LinkedHashMap<>(ledger.periods(LocalDate.now(clock.withZone(zone))));
        totals.put("all", all.toMap());
        totals.put("projects", perProject);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("streams", out);
        body.put("totals", totals);
        body.put(
                "prices",
                Map.of("date", ledger.prices().date(), "source", ledger.prices().source()));
        body.put("now", Instant.ofEpochMilli(now).toString());
        return body;
    }

    private static int order(String status) {
        return switch (status == null ? "" : status) {
            case "waiting" -> 0;
            case "working" -> 1;
            case "idle" -> 2;
            default -> 3;
        };
    }

    static String project(String cwd) {
        if (cwd == null || cwd.isBlank()) return null;
        String c = cwd.replaceAll("[/\\\\]+$", "");
        int slash = Math.max(c.lastIndexOf('/'), c.lastIndexOf('\\'));
        return slash >= 0 ? c.substring(slash + 1) : c;
    }

    /** The transcript a stream's hooks named, or null. */
    public String transcriptOf(String stream) {
        synchronized (this) {
            StreamCard c = cards.get(stream);
            return c == null ? null : c.transcriptPath;
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                System.err.println("solo-monitor: the board thread did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
