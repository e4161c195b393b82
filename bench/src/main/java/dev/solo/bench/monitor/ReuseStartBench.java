package dev.solo.bench.monitor;

import static dev.solo.bench.monitor.MonitorReport.format;

import dev.solo.bench.monitor.MonitorReport.Row;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Benchmark 1 of issue 3: a second {@code solo monitor --no-browser}, whole process, against a bare
 * {@code java} hello-world start in the same run.
 *
 * <p>A real monitor runs in the background, started by {@code solo monitor --no-browser} from a
 * {@link SoloInstall} copy. Then every round spawns each command once, in an order that rotates from
 * round to round, and times it from spawn to exit:
 *
 * <ul>
 *   <li>{@code solo monitor --no-browser}: the launcher script, with the CDS archive it recorded (the
 *       command a user runs; the target is judged on it);
 *   <li>the launcher's own {@code java} line without bash, to separate the script's share;
 *   <li>{@code java -jar solo.jar monitor --no-browser} with the JVM's default flags;
 *   <li>{@code java -Xshare:auto -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp DIR Hello}: the baseline, with
 *       the launcher's flags;
 *   <li>{@code java -cp DIR Hello} with default flags, the baseline of the plain {@code java -jar}.
 * </ul>
 *
 * Each reuse run must exit 0 and print "Monitor already running at", or the benchmark fails. Two
 * warm-up rounds (page cache) are not counted.
 */
final class ReuseStartBench {
    static final String NAME = "reuse start";
    private static final List<String> LAUNCHER_FLAGS =
            List.of("-Xshare:auto", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    private static final int WARMUP = 2;
    // Indices of the variants, in the order run() lists them.
    private static final int LAUNCHER = 0;
    private static final int LINE = 1;
    private static final int JAR = 2;
    private static final int HELLO = 3;
    private static final int HELLO_PLAIN = 4;

    private record Variant(String name, List<String> command, String expect) {}

    private ReuseStartBench() {}

    static List<Row> run(Path repo, int rounds, PrintStream log) throws IOException, InterruptedException {
        try (TempDir hello = TempDir.create("solo-bench-hello-");
                SoloInstall solo = SoloInstall.copyOf(repo, FreePorts.free(new Random()))) {
            compileHello(hello.path());
            SoloInstall.Run first = solo.solo("--version");
            if (first.exit() != 0 || !Files.isRegularFile(solo.archive())) {
                throw new IOException("the launcher's first run recorded no CDS archive: " + first.output());
            }
            log.printf("  launcher's first run (records the CDS archive): %.0f ms%n", first.nanos() / 1e6);
            solo.startMonitor();
            String java = solo.java();
            List<String> launcherLine = new ArrayList<>(List.of(java, "-XX:SharedArchiveFile=" + solo.archive()));
            launcherLine.addAll(LAUNCHER_FLAGS);
            launcherLine.addAll(List.of(
                    "-Dsolo.launcher=" + solo.launcher(), "-jar", solo.jar().toString(), "monitor", "--no-browser"));
            List<String> helloFlags = new ArrayList<>(List.of(java));
            helloFlags.addAll(LAUNCHER_FLAGS);
            helloFlags.addAll(List.of("-cp", hello.path().toString(), "Hello"));
            String reused = "Monitor already running at";
            List<Variant> variants = List.of(
                    new Variant(
                            "solo monitor --no-browser (launcher)",
                            List.of(solo.launcher().toString(), "monitor", "--no-browser"),
                            reused),
                    new Variant("launcher's java line, no bash", launcherLine, reused),
                    new Variant(
                            "java -jar solo.jar monitor --no-browser",
                            List.of(java, "-jar", solo.jar().toString(), "monitor", "--no-browser"),
                            reused),
                    new Variant("hello, launcher flags (baseline)", helloFlags, "hello"),
                    new Variant(
                            "hello, default flags",
                            List.of(java, "-cp", hello.path().toString(), "Hello"),
                            "hello"));
            List<Samples> times = new ArrayList<>();
            for (int i = 0; i < variants.size(); i++) times.add(new Samples());
            for (int round = 0; round < WARMUP + rounds; round++) {
                for (int k = 0; k < variants.size(); k++) {
                    int v = (k + round) % variants.size();
                    SoloInstall.Run r = solo.run(variants.get(v).command());
                    if (r.exit() != 0 || !r.output().contains(variants.get(v).expect())) {
                        throw new IOException(
                                variants.get(v).name() + " failed (exit " + r.exit() + "):\n" + r.output());
                    }
                    if (round >= WARMUP) times.get(v).add(r.nanos());
                }
            }
            solo.stopMonitor();
            return rows(variants, times, rounds);
        }
    }

    private static List<Row> rows(List<Variant> variants, List<Samples> times, int rounds) {
        double base = times.get(HELLO).medianMillis();
        double plainBase = times.get(HELLO_PLAIN).medianMillis();
        String baseText = format("hello, launcher flags %.0f ms", base);
        List<Row> rows = new ArrayList<>();
        rows.add(Row.info(name(variants, HELLO), ms(times.get(HELLO)), "", ""));
        double launcher = times.get(LAUNCHER).medianMillis();
        rows.add(Row.ratio(name(variants, LAUNCHER), ms(times.get(LAUNCHER)), baseText, launcher / base, 2));
        double line = times.get(LINE).medianMillis();
        rows.add(Row.info(name(variants, LINE), ms(times.get(LINE)), baseText, format("%.2f×", line / base)));
        rows.add(Row.info(
                name(variants, HELLO_PLAIN), ms(times.get(HELLO_PLAIN)), baseText, format("%.2f×", plainBase / base)));
        double jar = times.get(JAR).medianMillis();
        rows.add(Row.info(
                name(variants, JAR),
                ms(times.get(JAR)),
                format("hello, default flags %.0f ms", plainBase),
                format("%.2f×", jar / plainBase)));
        rows.add(Row.note("reuse: medians of " + rounds + " interleaved rounds (min–max in brackets), spawn to exit"));
        return rows;
    }

    private static String name(List<Variant> variants, int i) {
        return "reuse: " + variants.get(i).name();
    }

    private static String ms(Samples s) {
        return format("%.0f ms (%.0f–%.0f)", s.medianMillis(), s.minMillis(), s.maxMillis());
    }

    /** Writes and compiles {@code Hello.java} (prints "hello") into {@code dir}. */
    static void compileHello(Path dir) throws IOException {
        Path src = dir.resolve("Hello.java");
        Files.writeString(
                src,
                "public class Hello { public static void main(String[] a) {" + " System.out.println(\"hello\"); } }\n",
                StandardCharsets.UTF_8);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) throw new IOException("no Java compiler in this runtime; run the benchmarks on a JDK");
        if (javac.run(null, null, null, "-d", dir.toString(), src.toString()) != 0) {
            throw new IOException("cannot compile " + src);
        }
    }
}
