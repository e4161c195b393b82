package dev.solo.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the benchmark suite and prints one table: each benchmark's median, the baseline it is compared
 * with (measured in the same run), the ratio, the target and whether it was met.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.solo.bench.Report [JMH options]   run, then print
 * java -cp bench/target/benchmarks.jar dev.solo.bench.Report --from FILE     print from a JMH -rf json file
 * </pre>
 *
 * JMH options pass through ({@code -f}, {@code -wi}, {@code -i}, {@code -w}, {@code -r}, a name
 * regex...); without them each class runs its annotated configuration: 1 fork, 3 warm-up iterations
 * of 2 s, 5 measured iterations of 3 s. The results JSON goes to {@code -rff}, by default {@code
 * bench/target/jmh-result.json}.
 *
 * <p>The median is the 50th percentile of all samples for latency ({@code SampleTime}) benchmarks and
 * the median of the iteration scores for throughput. Exit code 0 when every target present in the
 * results was met, 1 when one was missed or the run failed, 2 for bad usage.
 */
public final class Report {
    private static final String PKG = "dev.solo.bench.";
    private static final String BASELINE = "LatencyBench.baseline";
    private static final String BASELINE_UNIX = "LatencyBench.baselineUnix";
    private static final String RAW_THROUGHPUT = "ThroughputBench.baselineEcho";
    private static final String UNIQUE4J = "PeerBench.unique4jMessage";

    /** How a target is judged. */
    enum Kind {
        /** median / baseline median at most {@code limit}. */
        RATIO_AT_MOST,
        /** median / baseline median at least {@code limit} (throughput). */
        RATIO_AT_LEAST,
        /** median at most {@code limit} milliseconds. */
        MILLIS_AT_MOST,
        /** median at least {@code limit} operations per second. */
        OPS_AT_LEAST,
        /** median below the baseline's median. */
        FASTER,
        /** no target; shown for context. */
        INFO
    }

    /** One line of the table: the benchmark, what it is compared with, and the bar. */
    record Target(String benchmark, String baseline, Kind kind, double limit) {}

    /** The rows in table order; anything else found in the results is appended as information. */
    static final List<Target> TARGETS = List.of(
            new Target(BASELINE, null, Kind.INFO, 0),
            new Target("LatencyBench.baselinePooledEcho", BASELINE, Kind.INFO, 0),
            new Target(BASELINE_UNIX, BASELINE, Kind.INFO, 0),
            new Target("LatencyBench.delegate", BASELINE_UNIX, Kind.RATIO_AT_MOST, 1.2),
            new Target("LatencyBench.delegate", BASELINE, Kind.RATIO_AT_MOST, 0.5),
            new Target("LatencyBench.delegateTcp", BASELINE, Kind.RATIO_AT_MOST, 3),
            new Target("LatencyBench.delegateAfterPing", BASELINE, Kind.RATIO_AT_MOST, 3),
            new Target("LatencyBench.claimRunning", BASELINE, Kind.MILLIS_AT_MOST, 2),
            new Target("DiscoveryBench.findWithHint", BASELINE, Kind.RATIO_AT_MOST, 2),
            new Target("DiscoveryBench.findByScan", BASELINE, Kind.MILLIS_AT_MOST, 5),
            new Target(RAW_THROUGHPUT, null, Kind.INFO, 0),
            new Target("ThroughputBench.delegateEcho", RAW_THROUGHPUT, Kind.RATIO_AT_LEAST, 1),
            new Target("ThroughputBench.delegateEchoTcp", RAW_THROUGHPUT, Kind.INFO, 0),
            new Target(UNIQUE4J, BASELINE, Kind.INFO, 0),
            new Target("PeerBench.unique4jMessageSent", BASELINE, Kind.INFO, 0),
            new Target("PeerBench.soloMessage", UNIQUE4J, Kind.FASTER, 1),
            new Target("PeerBench.soloMessageTcp", UNIQUE4J, Kind.INFO, 0));

    /** One benchmark's result: median, unit ({@code us/op} or {@code ops/s}) and the JVM that ran it. */
    record Result(String benchmark, double median, String unit, String jvm) {}

    private Report() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Path json;
        String load = "";
        if (args.length > 0 && args[0].equals("--from")) {
            if (args.length != 2) {
                err.println("usage: Report --from <jmh-result.json>   or   Report [JMH options]");
                return 2;
            }
            json = Path.of(args[1]);
        } else {
            CommandLineOptions cmd;
            try {
                cmd = new CommandLineOptions(args);
            } catch (CommandLineOptionException e) {
                err.println("bad JMH option: " + e.getMessage());
                return 2;
            }
            json = Path.of(cmd.getResult().orElse(defaultResultFile()));
            Options options = new OptionsBuilder()
                    .parent(cmd)
                    .resultFormat(ResultFormatType.JSON)
                    .result(json.toString())
                    .build();
            String before = loadAverage();
            try {
                new Runner(options).run();
            } catch (RunnerException e) {
                err.println("the benchmark run failed: " + e.getMessage());
                return 1;
            }
            if (!before.isEmpty()) load = "load average (1, 5, 15 min) before: " + before + "; after: " + loadAverage();
        }
        Map<String, Result> results;
        try {
            results = read(json);
        } catch (IOException | RuntimeException e) {
            err.println("cannot read JMH results from " + json + ": " + e);
            return 1;
        }
        if (results.isEmpty()) {
            err.println(json + " holds no benchmark results; check the benchmark name pattern");
            return 1;
        }
        boolean allMet = print(results, out);
        if (!load.isEmpty()) out.println(load);
        return allMet ? 0 : 1;
    }

    /** The first three fields of /proc/loadavg, or empty where there is none: how busy the machine was. */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static String defaultResultFile() {
        return Files.isDirectory(Path.of("bench", "target")) ? "bench/target/jmh-result.json" : "jmh-result.json";
    }

    /** The results of a JMH JSON file, keyed by benchmark name without the package. */
    @SuppressWarnings("unchecked")
    static Map<String, Result> read(Path json) throws IOException {
        Object root = ResultJson.parse(Files.readString(json, StandardCharsets.UTF_8));
        Map<String, Result> results = new LinkedHashMap<>();
        for (Object o : (List<Object>) root) {
            Map<String, Object> run = (Map<String, Object>) o;
            String name = ((String) run.get("benchmark")).replace(PKG, "");
            Map<String, Object> primary = (Map<String, Object>) run.get("primaryMetric");
            Map<String, Object> percentiles = (Map<String, Object>) primary.get("scorePercentiles");
            Object median = percentiles != null ? percentiles.get("50.0") : null;
            double value = median instanceof Double d ? d : (Double) primary.get("score");
            String jvm = "Java " + run.get("jdkVersion") + " (" + run.get("vmName") + ")";
            results.put(name, new Result(name, value, (String) primary.get("scoreUnit"), jvm));
        }
        return results;
    }

    /** Prints the table; returns whether every target present was met. */
    static boolean print(Map<String, Result> results, PrintStream out) {
        List<Target> rows = new ArrayList<>();
        for (Target t : TARGETS) if (results.containsKey(t.benchmark())) rows.add(t);
        for (String name : results.keySet()) {
            if (TARGETS.stream().noneMatch(t -> t.benchmark().equals(name))) {
                rows.add(new Target(name, null, Kind.INFO, 0));
            }
        }
        String jvm = results.values().iterator().next().jvm();
        out.printf(
                Locale.ROOT,
                "%nsolo benchmarks, run by %s; this machine: %d cores, %s %s%n%n",
                jvm,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"),
                System.getProperty("os.arch"));
        out.println("| benchmark | median | baseline (median) | ratio | target | result |");
        out.println("|---|---:|---|---:|---|---|");
        int met = 0;
        int judged = 0;
        for (Target t : rows) {
            Result r = results.get(t.benchmark());
            Result base = t.baseline() == null ? null : results.get(t.baseline());
            Double ratio = base == null || !base.unit().equals(r.unit()) ? null : r.median() / base.median();
            String verdict;
            if (t.kind() == Kind.INFO) {
                verdict = "";
            } else {
                Boolean pass = judge(t, r, ratio);
                if (pass == null) {
                    verdict = "n/a (baseline not run)";
                } else {
                    judged++;
                    if (pass) met++;
                    verdict = pass ? "PASS" : "**MISS**";
                }
            }
            out.printf(
                    Locale.ROOT,
                    "| %s | %s | %s | %s | %s | %s |%n",
                    t.benchmark(),
                    format(r.median(), r.unit()),
                    base == null ? "" : t.baseline() + " " + format(base.median(), base.unit()),
                    ratio == null ? "" : String.format(Locale.ROOT, "%.2f×", ratio),
                    describe(t),
                    verdict);
        }
        out.printf(Locale.ROOT, "%n%d of %d targets met.%n", met, judged);
        return met == judged;
    }

    private static Boolean judge(Target t, Result r, Double ratio) {
        return switch (t.kind()) {
            case RATIO_AT_MOST -> ratio == null ? null : ratio <= t.limit();
            case RATIO_AT_LEAST -> ratio == null ? null : ratio >= t.limit();
            case FASTER -> ratio == null ? null : ratio < t.limit();
            case MILLIS_AT_MOST -> micros(r) <= t.limit() * 1000;
            case OPS_AT_LEAST -> r.median() >= t.limit();
            case INFO -> null;
        };
    }

    private static double micros(Result r) {
        return switch (r.unit()) {
            case "ns/op" -> r.median() / 1000;
            case "us/op" -> r.median();
            case "ms/op" -> r.median() * 1000;
            case "s/op" -> r.median() * 1_000_000;
            default -> throw new IllegalArgumentException("not a time per operation: " + r.unit());
        };
    }

    private static String describe(Target t) {
        return switch (t.kind()) {
            case RATIO_AT_MOST -> "≤ " + times(t.limit()) + " baseline";
            case RATIO_AT_LEAST -> "≥ " + times(t.limit()) + " baseline";
            case MILLIS_AT_MOST -> String.format(Locale.ROOT, "≤ %.0f ms", t.limit());
            case OPS_AT_LEAST -> String.format(Locale.ROOT, "≥ %,.0f /s", t.limit());
            case FASTER -> "faster than " + t.baseline().substring(t.baseline().indexOf('.') + 1);
            case INFO -> "";
        };
    }

    /** {@code 3×} or {@code 1.2×}. */
    private static String times(double limit) {
        return limit == Math.rint(limit)
                ? String.format(Locale.ROOT, "%.0f×", limit)
                : String.format(Locale.ROOT, "%.1f×", limit);
    }

    private static String format(double value, String unit) {
        if (unit.equals("ops/s")) return String.format(Locale.ROOT, "%,.0f /s", value);
        if (unit.endsWith("/op")) {
            double us = micros(new Result("", value, unit, ""));
            return us >= 1000
                    ? String.format(Locale.ROOT, "%.2f ms", us / 1000)
                    : String.format(Locale.ROOT, "%.1f µs", us);
        }
        return String.format(Locale.ROOT, "%.3f %s", value, unit);
    }
}
