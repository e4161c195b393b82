package dev.solo.bench.monitor;

import static dev.solo.bench.monitor.MonitorReport.format;

import dev.solo.bench.monitor.MonitorReport.Row;
import dev.solo.core.Registry;
import dev.solo.monitor.ingest.BadPayloadException;
import dev.solo.monitor.ingest.Ingest;
import dev.solo.monitor.server.MonitorConfig;
import dev.solo.monitor.store.EventStore;
import dev.solo.monitor.store.NewEvent;
import dev.solo.monitor.store.Retention;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark 4 of issue 3: a monitor holding 1,000,000 events: its resident memory, and the time of a
 * filtered page of 100 events.
 *
 * <p>The events are written straight into the database the monitor will open, through {@link
 * EventStore#append} (the server's own batched writer, up to 2,000 events per transaction): the fixture
 * payloads round-robin, as {@link Ingest} turns them into rows, spread over 500 sessions of 2,000 events
 * with four sessions interleaved at a time. Then the real monitor starts as a user starts it ({@code solo
 * monitor --no-browser} from a {@link SoloInstall} copy: a background {@code java -Xmx256m
 * -XX:+UseSerialGC} process) on that database.
 *
 * <p>Each filter is asked {@value #REPEATS} times over HTTP, interleaved, after two warm-up passes; the
 * time is the client's, from request to the end of the answer. Memory is the monitor process's resident
 * set ({@code VmRSS} of {@code /proc/<pid>/status}) after the queries, and its peak ({@code VmHWM}).
 */
final class StoreBench {
    static final int SESSIONS_PER_BLOCK = 4;
    static final int EVENTS_PER_SESSION = 2000;
    private static final int REPEATS = 15;
    private static final Pattern EVENTS = Pattern.compile("\"events\":(\\d+)");

    private StoreBench() {}

    private record Filter(String name, String query, boolean judged) {}

    static List<Row> run(Path repo, List<byte[]> payloads, int events, PrintStream log)
            throws IOException, InterruptedException {
        try (SoloInstall solo = SoloInstall.copyOf(repo, FreePorts.free(new Random()))) {
            Path db = MonitorConfig.databaseOf(Registry.at(solo.home()), "port-" + solo.port());
            long t0 = System.nanoTime();
            fill(db, payloads, 0, events);
            double fillSeconds = (System.nanoTime() - t0) / 1e9;
            long dbBytes = Files.size(db);
            log.printf(
                    "  store: %,d events written in %.1f s (%,.0f /s), database %,d MB%n",
                    events, fillSeconds, events / fillSeconds, dbBytes >> 20);
            long pid = solo.startMonitor();
            String session = session(events / 2);
            List<Filter> filters = List.of(
                    new Filter("stream", "stream=" + session, true),
                    new Filter("event", "event=PreToolUse", true),
                    new Filter("tool", "tool=Bash", true),
                    new Filter("stream + event", "stream=" + session + "&event=PostToolUse", true),
                    new Filter(
                            "stream, older page, rows",
                            "stream=" + session + "&before=" + (events / 2) + "&view=row",
                            true),
                    new Filter("text q=structuredPatch (in 1 of the 61 payloads)", "q=structuredPatch", true),
                    new Filter("text matching nothing (scans every row)", "q=no-such-text-anywhere", false));
            // What the dashboard asks besides pages of events; part of the memory picture, timed for context.
            List<Filter> views = List.of(
                    new Filter("/api/streams", "/api/streams", false),
                    new Filter("/api/event-names (all streams)", "/api/event-names", false),
                    new Filter("/api/streams/{id}/tools", "/api/streams/" + session + "/tools", false),
                    new Filter("/api/streams/{id}/agents", "/api/streams/" + session + "/agents", false),
                    new Filter("/api/streams/{id}/files", "/api/streams/" + session + "/files", false));
            List<Samples> times = new ArrayList<>();
            for (int i = 0; i < filters.size() + views.size(); i++) times.add(new Samples());
            long healthEvents;
            try (HttpConn c = new HttpConn(solo.port(), solo.token())) {
                Matcher m = EVENTS.matcher(c.get("/health").text());
                healthEvents = m.find() ? Long.parseLong(m.group(1)) : -1;
                for (int round = 0; round < 2 + REPEATS; round++) {
                    for (int f = 0; f < filters.size(); f++) {
                        String q = "/api/events?limit=100&" + filters.get(f).query();
                        long s = System.nanoTime();
                        HttpConn.Answer a = c.get(q);
                        long e = System.nanoTime();
                        if (a.status() != 200) throw new IOException("GET " + q + " answered " + a.text());
                        if (filters.get(f).judged() && !a.text().contains("\"next\":{")) {
                            throw new IOException("GET " + q + " did not return a full page of 100 events");
                        }
                        if (round >= 2) times.get(f).add(e - s);
                    }
                    for (int v = 0; v < views.size() && round % 3 == 0; v++) {
                        long s = System.nanoTime();
                        HttpConn.Answer a = c.get(views.get(v).query());
                        long e = System.nanoTime();
                        if (a.status() != 200)
                            throw new IOException("GET " + views.get(v).query() + ": " + a.text());
                        if (round >= 2) times.get(filters.size() + v).add(e - s);
                    }
                }
            }
            long[] memory = memoryKb(pid);
            solo.stopMonitor();
            List<Row> rows = new ArrayList<>();
            rows.add(Row.judged(
                    format("store: monitor resident memory (VmRSS), %,d events", events),
                    format("%.0f MB", memory[0] / 1024.0),
                    "≤ 300 MB",
                    memory[0] > 0 && memory[0] <= 300 * 1024));
            rows.add(Row.info("store: peak resident memory (VmHWM)", format("%.0f MB", memory[1] / 1024.0), "", ""));
            for (int f = 0; f < filters.size(); f++) {
                Samples s = times.get(f);
                String value = format("%.1f ms (max %.1f)", s.medianMillis(), s.maxMillis());
                String name = "store: page of 100, filter " + filters.get(f).name();
                rows.add(
                        filters.get(f).judged()
                                ? Row.judged(name, value, "≤ 50 ms", s.medianMillis() <= 50)
                                : Row.info(name, value, "", ""));
            }
            for (int v = 0; v < views.size(); v++) {
                Samples t = times.get(filters.size() + v);
                String value = format("%.1f ms (max %.1f)", t.medianMillis(), t.maxMillis());
                rows.add(Row.info("store: GET " + views.get(v).name(), value, "", ""));
            }
            rows.add(Row.judged(
                    "store: events the monitor reports (/health)",
                    format("%,d", healthEvents),
                    format("%,d", events),
                    healthEvents == events));
            rows.add(Row.note(format(
                    "store: %,d events written through EventStore.append in %.1f s (%,.0f /s);"
                            + " database %,d MB; page times are medians of %d requests over HTTP (client-side)",
                    events, fillSeconds, events / fillSeconds, dbBytes >> 20, REPEATS)));
            return rows;
        }
    }

    /**
     * Writes events number {@code from} to {@code to} (exclusive) into the database at {@code db}
     * (created when missing) and closes it.
     */
    static void fill(Path db, List<byte[]> payloads, int from, int to) throws IOException, InterruptedException {
        Ingest ingest = new Ingest();
        List<NewEvent> templates = new ArrayList<>();
        try {
            for (byte[] p : payloads) templates.add(ingest.hook(p));
        } catch (BadPayloadException e) {
            throw new IOException("a fixture does not parse: " + e.getMessage(), e);
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (EventStore store = EventStore.open(db, Clock.systemUTC(), Retention.DEFAULT, batch -> {})) {
            for (int i = from; i < to && failure.get() == null; i++) {
                NewEvent t = templates.get(i % templates.size());
                String s = session(i);
                NewEvent e = new NewEvent(
                        s,
                        t.event(),
                        t.tool(),
                        t.toolUseId(),
                        t.agentId(),
                        t.agentType(),
                        t.file(),
                        t.cwd(),
                        t.title(),
                        t.notice(),
                        t.source(),
                        t.cut(),
                        t.json().replace('"' + t.stream() + '"', '"' + s + '"'));
                // an append is acknowledged once it is in the inbox: wait for the writer now and then, so the
                // events it still owes stay far below what it may owe (GroupCommit.MAX_QUEUED_CHARS)
                if (i % 1000 == 0) store.awaitStored();
                store.append(e).whenComplete((stored, f) -> { // already complete: acknowledged or refused
                    if (f != null) failure.compareAndSet(null, f);
                });
            }
        }
        if (failure.get() != null) throw new IOException("writing the events failed: " + failure.get());
    }

    /** The session of event {@code i}: blocks of four sessions of 2,000 events each, interleaved. */
    static String session(int i) {
        int block = i / (SESSIONS_PER_BLOCK * EVENTS_PER_SESSION);
        int n = block * SESSIONS_PER_BLOCK + i % SESSIONS_PER_BLOCK;
        return format("%08x-be9c-4f6c-9d81-64d0cae95a84", n);
    }

    /** {@code VmRSS} and {@code VmHWM} of {@code pid} in KiB; -1 where unknown. */
    private static long[] memoryKb(long pid) {
        long[] out = {-1, -1};
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) out[0] = kb(line);
                if (line.startsWith("VmHWM:")) out[1] = kb(line);
            }
        } catch (IOException e) {
            // not Linux, or the process is gone: reported as -1
        }
        return out;
    }

    private static long kb(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
