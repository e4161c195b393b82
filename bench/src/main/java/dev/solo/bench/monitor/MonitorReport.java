package dev.solo.bench.monitor;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Runs the {@code solo monitor} benchmarks of issues 3 and 14 and prints one table: each figure, the
 * baseline it is compared with where there is one (measured in the same run), the target and whether it
 * was met, with the load average before and after each benchmark.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.solo.bench.monitor.MonitorReport [options]
 *   --only reuse,start,ingest,hook,fanout,store,footprint   a subset (default: all, in this order)
 *   --rounds N        reuse and start: interleaved rounds of every command (default 15)
 *   --seconds S       ingest, hook and fan-out: measured seconds, after a warm-up (default 10)
 *   --events N        store and footprint: events stored before measuring (default 1000000)
 *   --nmt             footprint: run the monitor with native memory tracking and write jcmd's reports
 *   --peer KIND=URL   hook: load a peer monitor that runs already, with the request its hook sends
 *                     (KIND: hook, disler, ccam, mpm; see PeerRequests), instead of solo
 *   --peer-pid PID    hook with --peer: the peer's server process, for its CPU time
 *   --fixtures DIR    the hook payloads (default ../shared/fixtures/claude-code-hooks)
 *   --repo DIR        the repository with ./solo and cli/target/solo.jar (default: the current directory)
 *   --versus DIR      start: another such repository, started in every round too (an A/B in one run)
 * </pre>
 *
 * Run it from the repository root after {@code ./mvnw -q -pl bench -am package -DskipTests} and a built
 * {@code cli/target/solo.jar}. Exit code 0 when every target was met, 1 when one was missed or a
 * benchmark failed, 2 for bad usage.
 */
public final class MonitorReport {
    private static final List<String> ALL = List.of("reuse", "start", "ingest", "hook", "fanout", "store", "footprint");

    /**
     * One line of the table. {@code result} is PASS, MISS or empty (context only); a row whose
     * benchmark is empty is a note printed under the table.
     */
    record Row(String benchmark, String value, String baseline, String ratio, String target, String result) {
        static Row info(String benchmark, String value, String baseline, String ratio) {
            return new Row(benchmark, value, baseline, ratio, "", "");
        }

        static Row ratio(String benchmark, String value, String baseline, double ratio, double limit) {
            return new Row(
                    benchmark,
                    value,
                    baseline,
                    format("%.2f×", ratio),
                    format("≤ %.0f× baseline", limit),
                    ratio <= limit ? "PASS" : "**MISS**");
        }

        /** A judged figure: {@code met} says whether {@code value} meets {@code target}. */
        static Row judged(String benchmark, String value, String target, boolean met) {
            return new Row(benchmark, value, "", "", target, met ? "PASS" : "**MISS**");
        }

        static Row note(String text) {
            return new Row("", text, "", "", "", "");
        }
    }

    private MonitorReport() {}

    public static void main(String[] args) {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"); // Jetty's INFO lines
        }
        System.exit(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) {
        Set<String> only = new LinkedHashSet<>(ALL);
        int rounds = 15;
        int seconds = 10;
        int events = 1_000_000;
        String fixtures = null;
        boolean nmt = false;
        String peer = null;
        long peerPid = -1;
        Path repo = Path.of("").toAbsolutePath();
        Path versus = null;
        try {
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--nmt")) {
                    nmt = true;
                    continue;
                }
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--only" -> only = new LinkedHashSet<>(List.of(value.split(",")));
                    case "--rounds" -> rounds = Integer.parseInt(value);
                    case "--seconds" -> seconds = Integer.parseInt(value);
                    case "--events" -> events = Integer.parseInt(value);
                    case "--fixtures" -> fixtures = value;
                    case "--repo" -> repo = Path.of(value).toAbsolutePath();
                    case "--versus" -> versus = Path.of(value).toAbsolutePath();
                    case "--peer" -> {
                        if (value == null || !value.contains("="))
                            throw new IllegalArgumentException("--peer takes KIND=URL");
                        peer = value;
                    }
                    case "--peer-pid" -> peerPid = Long.parseLong(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
                i++;
            }
            if (!ALL.containsAll(only)) throw new IllegalArgumentException("--only takes " + ALL + ", got " + only);
            if (rounds < 1 || seconds < 1 || events < 10_000) {
                throw new IllegalArgumentException("--rounds and --seconds must be >= 1, --events >= 10000");
            }
        } catch (RuntimeException e) {
            out.println("usage: MonitorReport [--only " + String.join(",", ALL) + "] [--rounds N] [--seconds S]"
                    + " [--events N] [--nmt] [--peer KIND=URL [--peer-pid PID]] [--fixtures DIR] [--repo DIR] [--versus DIR]: "
                    + e.getMessage());
            return 2;
        }
        List<Row> rows = new ArrayList<>();
        boolean failed = false;
        for (String bench : only) {
            String before = loadAverage();
            out.println("running " + bench + " (load average " + before + ") ...");
            try {
                List<byte[]> payloads = bench.equals("reuse") || bench.equals("start")
                        ? List.of()
                        : Fixtures.load(Fixtures.locate(repo, fixtures));
                rows.addAll(
                        switch (bench) {
                            case "reuse" -> ReuseStartBench.run(repo, rounds, out);
                            case "start" -> ServerStartBench.run(repo, versus, rounds, out);
                            case "ingest" -> IngestBench.run(payloads, seconds, out);
                            case "hook" ->
                                peer == null
                                        ? HookPathBench.run(repo, payloads, seconds, out)
                                        : HookPathBench.runPeer(
                                                peer.substring(0, peer.indexOf('=')),
                                                java.net.URI.create(peer.substring(peer.indexOf('=') + 1)),
                                                peerPid,
                                                payloads,
                                                seconds,
                                                out);
                            case "fanout" -> FanOutBench.run(payloads, seconds, out);
                            case "footprint" -> FootprintBench.run(repo, payloads, events, nmt, out);
                            default -> StoreBench.run(repo, payloads, events, out);
                        });
            } catch (IOException | RuntimeException e) {
                failed = true;
                rows.add(Row.judged(bench, "failed: " + e, "runs", false));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
            rows.add(Row.note(bench + ": load average (1, 5, 15 min) before " + before + ", after " + loadAverage()));
        }
        return print(rows, out) && !failed ? 0 : 1;
    }

    /** Prints the table, then the notes; returns whether every judged row passed. */
    static boolean print(List<Row> rows, PrintStream out) {
        out.printf(
                Locale.ROOT,
                "%nsolo monitor benchmarks, Java %s (%s); %d cores, %s %s%n%n",
                System.getProperty("java.version"),
                System.getProperty("java.vm.name"),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"),
                System.getProperty("os.arch"));
        out.println("| benchmark | figure | baseline | ratio | target | result |");
        out.println("|---|---:|---|---:|---|---|");
        int met = 0;
        int judged = 0;
        for (Row r : rows) {
            if (r.benchmark().isEmpty()) continue;
            out.printf(
                    "| %s | %s | %s | %s | %s | %s |%n",
                    r.benchmark(), r.value(), r.baseline(), r.ratio(), r.target(), r.result());
            if (!r.result().isEmpty()) {
                judged++;
                if (r.result().equals("PASS")) met++;
            }
        }
        out.println();
        for (Row r : rows) if (r.benchmark().isEmpty()) out.println("- " + r.value());
        out.printf(Locale.ROOT, "%n%d of %d targets met.%n", met, judged);
        return met == judged;
    }

    /** The first three fields of /proc/loadavg, or "n/a". */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
