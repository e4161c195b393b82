package dev.solo.bench.monitor;

import static dev.solo.bench.monitor.MonitorReport.format;

import dev.solo.bench.monitor.MonitorReport.Row;
import dev.solo.core.Registry;
import dev.solo.monitor.security.IngestKey;
import dev.solo.monitor.server.MonitorConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Issue 14's memory target: the monitor's resident memory with 50 live dashboard clients attached, at
 * 0, 100,000 and 1,000,000 stored events, and whether it stays flat as history grows.
 *
 * <p>The monitor runs as a user runs it ({@code solo monitor --no-browser} from a {@link SoloInstall}
 * copy, so with the JVM flags of {@code Launcher.javaCommand()}). At each size: the events are written
 * into its database first ({@link StoreBench#fill}, the server's own batched writer), the monitor
 * starts on it, {@value #CLIENTS} clients open {@code /api/live?view=row} as the dashboard page does,
 * {@value #POSTED} hook events are posted over HTTP with the ingest key (so the live ring fills and every
 * client reads them), the dashboard's other calls are made once, and then {@code VmRSS} and {@code
 * VmHWM} are read. With {@code --nmt} the monitor's JVM also runs with {@code
 * -XX:NativeMemoryTracking=summary} (through {@code JAVA_TOOL_OPTIONS}), and {@code jcmd}'s {@code
 * VM.native_memory summary}, {@code GC.heap_info} and {@code GC.class_histogram} are written to {@code
 * bench/target/footprint-<events>.txt}; NMT costs memory of its own, so judge RSS from a run without it.
 */
final class FootprintBench {
    static final int CLIENTS = 50;
    static final int POSTED = 20_000;
    /** Judged: at most this many MiB of RSS at the largest size. */
    static final int LIMIT_MB = 96;
    /** Judged: "flat" means the largest size's RSS is at most this much above the 100,000-event one. */
    static final double FLAT = 1.10;

    private FootprintBench() {}

    record Measured(int events, long rssKb, long hwmKb) {}

    static List<Row> run(Path repo, List<byte[]> payloads, int events, boolean nmt, PrintStream log)
            throws IOException, InterruptedException {
        List<Integer> sizes = new ArrayList<>(List.of(0, 100_000));
        if (events > 100_000) sizes.add(events);
        List<Measured> measured = new ArrayList<>();
        try (SoloInstall solo = SoloInstall.copyOf(repo, FreePorts.free(new Random()))) {
            // For trying JVM flags without a rebuild: -Dsolo.bench.javaToolOptions="-Xms16m ..." (the monitor
            // child and the solo client both get them; the child's own command-line flags win over these).
            String options = System.getProperty("solo.bench.javaToolOptions", "");
            if (nmt) options = (options + " -XX:NativeMemoryTracking=summary").strip();
            if (!options.isEmpty()) solo.putEnv("JAVA_TOOL_OPTIONS", options);
            // One start and stop first, as a user's first run: whatever it records (the class-data archive)
            // is in place for the measured starts.
            solo.startMonitor();
            solo.stopMonitor();
            List<List<String>> flagSets = flagSets();
            List<String> command = flagSets.isEmpty() ? List.of() : ServerChild.commandOf(solo);
            Path db = MonitorConfig.databaseOf(Registry.at(solo.home()), "port-" + solo.port());
            Files.deleteIfExists(db);
            Files.deleteIfExists(db.resolveSibling(db.getFileName() + "-wal"));
            Files.deleteIfExists(db.resolveSibling(db.getFileName() + "-shm"));
            int filled = 0;
            for (int size : sizes) {
                StoreBench.fill(db, payloads, filled, size);
                filled = size;
                if (flagSets.isEmpty()) {
                    long pid = solo.startMonitor();
                    try {
                        measured.add(measure(solo, pid, payloads, size, nmt, repo, log));
                    } finally {
                        solo.stopMonitor();
                    }
                    continue;
                }
                for (List<String> flags : flagSets) {
                    log.printf("  footprint: child flags %s%n", flags.isEmpty() ? "(the server's own)" : flags);
                    try (ServerChild child = ServerChild.start(solo, command, flags)) {
                        measured.add(measure(solo, child.pid(), payloads, size, nmt, repo, log));
                    }
                }
            }
        }
        return rows(measured);
    }

    /**
     * For A/B runs of JVM flags on one filled database: {@code -Dsolo.bench.childFlags="A|B"} measures, at
     * each size, one server per set of flags (split at spaces; an empty set is the server's own flags),
     * each set placed after the server's own flags so that it wins. The judged rows are then the last set's;
     * compare the sets by the log lines. Empty when unset: the monitor is started by {@code solo monitor}.
     */
    static List<List<String>> flagSets() {
        String value = System.getProperty("solo.bench.childFlags");
        if (value == null) return List.of();
        List<List<String>> sets = new ArrayList<>();
        for (String set : value.split("\\|", -1)) {
            sets.add(java.util.Arrays.stream(set.strip().split(" +"))
                    .filter(f -> !f.isBlank())
                    .toList());
        }
        return sets;
    }

    private static Measured measure(
            SoloInstall solo, long pid, List<byte[]> payloads, int size, boolean nmt, Path repo, PrintStream log)
            throws IOException, InterruptedException {
        String key = IngestKey.loadOrCreate(solo.home()).value();
        try (LiveClients clients = LiveClients.open(solo.port(), solo.token(), CLIENTS);
                HttpConn hooks = new HttpConn(solo.port(), key)) {
            for (int i = 0; i < POSTED; i++) {
                HttpConn.Answer a = hooks.post("/api/hooks", payloads.get(i % payloads.size()));
                if (a.status() != 200)
                    throw new IOException("POST /api/hooks answered " + a.status() + ": " + a.text());
            }
            if (!clients.awaitEach(POSTED, 120)) {
                throw new IOException("the live clients did not all receive the " + POSTED + " events in 120 s");
            }
            // A connection of its own, opened now: one idle through the posts could pass the server's idle timeout.
            try (HttpConn page = new HttpConn(solo.port(), solo.token())) {
                for (String path : List.of("/api/board", "/api/streams", "/api/events?limit=100&view=row")) {
                    HttpConn.Answer a = page.get(path);
                    if (a.status() != 200) throw new IOException("GET " + path + " answered " + a.status());
                }
            }
            long[] mem = ProcStat.memoryKb(pid);
            log.printf("  footprint: %,d events: VmRSS %,d KiB, VmHWM %,d KiB%n", size, mem[0], mem[1]);
            // where it is (read now; the heap's range is asked of jcmd after, which adds a thread of its own)
            String smaps = Files.readString(Path.of("/proc/" + pid + "/smaps"), StandardCharsets.UTF_8);
            long[] heap = ProcStat.heapRange(solo.env().get("JAVA_HOME"), pid);
            log.printf(
                    "  footprint: %,d events, resident KiB by kind: %s%n",
                    size, ProcStat.residentByKind(smaps, heap[0], heap[1]));
            if (nmt) {
                String javaHome = solo.env().get("JAVA_HOME");
                StringBuilder report = new StringBuilder();
                report.append("VmRSS ")
                        .append(mem[0])
                        .append(" KiB, VmHWM ")
                        .append(mem[1])
                        .append(" KiB\n\n");
                for (String cmd : List.of("VM.native_memory summary", "GC.heap_info", "GC.class_histogram")) {
                    report.append("== jcmd ").append(cmd).append('\n');
                    String out = ProcStat.jcmd(javaHome, pid, cmd);
                    if (cmd.equals("GC.class_histogram")) out = head(out, 40);
                    report.append(out).append('\n');
                }
                report.append("== pmap -x, largest resident mappings (KiB: size, RSS, dirty)\n")
                        .append(ProcStat.pmap(pid, 30));
                Path file = repo.resolve("bench/target/footprint-" + size + ".txt");
                Files.createDirectories(file.getParent());
                Files.writeString(file, report, StandardCharsets.UTF_8);
                log.println("  footprint: NMT, heap and class histogram in " + file);
            }
            return new Measured(size, mem[0], mem[1]);
        }
    }

    private static String head(String text, int lines) {
        String[] all = text.split("\n");
        return String.join("\n", java.util.Arrays.copyOf(all, Math.min(lines, all.length)));
    }

    private static List<Row> rows(List<Measured> measured) {
        List<Row> rows = new ArrayList<>();
        Measured hundredK = null;
        Measured largest = measured.get(measured.size() - 1);
        for (Measured m : measured) {
            if (m.events() == 100_000) hundredK = m;
            String name = format("footprint: monitor RSS, %,d events stored, %d live clients", m.events(), CLIENTS);
            String value = format("%.0f MB (peak %.0f)", m.rssKb() / 1024.0, m.hwmKb() / 1024.0);
            rows.add(
                    m == largest
                            ? Row.judged(
                                    name,
                                    value,
                                    "≤ " + LIMIT_MB + " MB",
                                    m.rssKb() > 0 && m.rssKb() <= LIMIT_MB * 1024L)
                            : Row.info(name, value, "", ""));
        }
        if (hundredK != null && largest != hundredK) {
            double growth = (double) largest.rssKb() / hundredK.rssKb();
            rows.add(new Row(
                    format("footprint: RSS growth, %,d / 100,000 events", largest.events()),
                    format("%.2f×", growth),
                    format("RSS at 100,000: %.0f MB", hundredK.rssKb() / 1024.0),
                    format("%.2f×", growth),
                    format("≤ %.2f× (flat)", FLAT),
                    growth <= FLAT ? "PASS" : "**MISS**"));
        }
        rows.add(Row.note(format(
                "footprint: at each size the monitor starts on the filled database, %d clients read"
                        + " /api/live?view=row, %,d hook events are posted (ingest key), /api/board, /api/streams and"
                        + " a page of rows are asked once, then VmRSS/VmHWM of /proc/<pid>/status",
                CLIENTS, POSTED)));
        return rows;
    }
}
