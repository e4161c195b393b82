package dev.solo.bench.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 13's whole-process targets for the thin clients, each a ratio to a baseline measured in the same
 * run, with medians (wall and CPU) over interleaved rounds:
 *
 * <ul>
 *   <li><b>monitor</b>: {@code solo monitor --no-browser} (reuse) and {@code solo monitor status} through
 *       the launcher against bare {@code java Hello}, once with the launcher's general flags and once with
 *       its lean ones (interpreter only): target ≤ 1.5× wall and CPU against both. For context: {@code
 *       status} through a launcher in a checkout (it checks the sources), {@code solo list}, the lean and
 *       the general {@code java} lines without the shell, the hand-off ({@code solo list --timeout +2000}:
 *       a value the lean start leaves to picocli, so a lean JVM, then one with the general flags), and the
 *       same commands through the full picocli command line ({@code -Dsolo.fast=false}).
 *   <li><b>ocr</b>: {@code solo ocr --file IMAGE} through the launcher against a warm resident, and the
 *       plain {@code tesseract IMAGE -}, on the twenty screen images of the OCR benchmarks: target ≤ 0.5×
 *       (median over images of each image's median).
 *   <li><b>flags</b>: the reuse command's {@code java} line with all the launcher's JVM flags, and with
 *       each one left out in turn.
 * </ul>
 *
 * <p>{@code --java DIR} runs every JVM, the baselines' included, on the JDK in DIR (the launcher through
 * {@code JAVA_HOME}): on a JDK 24 or later the launcher makes ahead-of-time caches instead of CDS archives,
 * and the java lines use them. {@code --other-launcher FILE} measures a second launcher (e.g. {@code main}'s)
 * with its own copy of the jar in the same rounds: its reuse, {@code status} and {@code list} rows.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.solo.bench.cli.ThinClientBench [--rounds 10] [--ocr-rounds 3]
 *     [--only monitor,ocr,flags] [--repo .] [--java JAVA_HOME] [--other-launcher FILE]
 * </pre>
 *
 * Prints Markdown tables and the load average before and after. Exit 0 when every target measured is
 * met, 1 when one is missed, 2 for bad usage.
 */
public final class ThinClientBench {
    private ThinClientBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = 10;
        int ocrRounds = 3;
        String only = "monitor,ocr,flags";
        Path repo = Path.of(".");
        Path javaHome = null;
        Path other = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) usage(a);
            switch (a) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--ocr-rounds" -> ocrRounds = Integer.parseInt(args[++i]);
                case "--only" -> only = args[++i];
                case "--repo" -> repo = Path.of(args[++i]);
                case "--java" -> javaHome = Path.of(args[++i]).toAbsolutePath();
                case "--other-launcher" -> other = Path.of(args[++i]).toAbsolutePath();
                default -> usage(a);
            }
        }
        PrintStream out = System.out;
        out.println("load average before: " + load() + "; java: " + (javaHome == null ? "on PATH" : javaHome));
        boolean met = true;
        try (Setup s = Setup.create(repo.toAbsolutePath(), other, javaHome)) {
            s.startMonitor();
            if (only.contains("monitor")) met &= monitor(s, rounds, out);
            if (only.contains("flags")) flags(s, rounds, out);
            if (only.contains("ocr")) {
                s.startOcr();
                met &= ocr(s, ocrRounds, out);
            }
        }
        out.println("load average after: " + load());
        System.exit(met ? 0 : 1);
    }

    private static void usage(String at) {
        System.err.println("bad argument '" + at + "'; usage: ThinClientBench [--rounds N] [--ocr-rounds N]"
                + " [--only monitor,ocr,flags] [--repo DIR] [--java JAVA_HOME] [--other-launcher FILE]");
        System.exit(2);
    }

    /** A command and the text its output must contain. */
    private record Variant(String name, List<String> command, String expect) {}

    private static boolean monitor(Setup s, int rounds, PrintStream out) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(s.launcherOptions());
        full.add("-Dsolo.fast=false");
        String reused = "Monitor already running at";
        String running = "solo monitor is running at";
        List<String> xint = new ArrayList<>(s.leanOptions());
        xint.set(xint.indexOf("-XX:TieredStopAtLevel=0"), "-Xint");
        s.recordFloorArchive();
        List<Variant> v = new ArrayList<>(List.of(
                new Variant("java Hello, launcher flags (baseline)", s.hello(Setup.LAUNCHER_FLAGS), "hello"),
                new Variant("java Hello, lean flags (baseline)", s.hello(Setup.LEAN_FLAGS), "hello"),
                new Variant("solo monitor --no-browser (reuse, launcher)", s.solo("monitor", "--no-browser"), reused),
                new Variant("solo monitor status (launcher)", s.solo("monitor", "status"), running),
                new Variant(
                        "solo monitor status (launcher in a checkout: sources checked)",
                        s.soloInCheckout("monitor", "status"),
                        running),
                new Variant("solo list (launcher)", s.solo("list"), "solo-monitor"),
                new Variant(
                        "JDK floor: a JVM that only connects to the monitor's socket, lean flags",
                        s.unixConnect(Setup.LEAN_FLAGS),
                        "connected"),
                new Variant(
                        "JDK floor: the same, the launcher's general flags",
                        s.unixConnect(Setup.LAUNCHER_FLAGS),
                        "connected"),
                new Variant(
                        "status, launcher's lean java line, no shell",
                        s.javaLine(s.leanOptions(), "monitor", "status"),
                        running),
                new Variant("status, the same with -Xint", s.javaLine(xint, "monitor", "status"), running),
                new Variant(
                        "status, the lean java line of round 3 (the general archive on the JDK's, SerialGC)",
                        s.javaLine(s.roundThreeLeanOptions(), "monitor", "status"),
                        running),
                new Variant(
                        "reuse, launcher's lean java line, no shell",
                        s.javaLine(s.leanOptions(), "monitor", "--no-browser"),
                        reused),
                new Variant(
                        "reuse, java line with the general flags, no shell",
                        s.javaLine(s.launcherOptions(), "monitor", "--no-browser"),
                        reused),
                new Variant(
                        "solo list --timeout +2000 (launcher: lean JVM, then hand-off)",
                        s.solo("list", "--timeout", "+2000"),
                        "solo-monitor"),
                new Variant(
                        "list --timeout +2000, java line with the general flags, no shell",
                        s.javaLine(full, "list", "--timeout", "+2000"),
                        "solo-monitor"),
                new Variant(
                        "reuse, full command line (-Dsolo.fast=false)",
                        s.javaLine(full, "monitor", "--no-browser"),
                        reused),
                new Variant(
                        "status, full command line (-Dsolo.fast=false)",
                        s.javaLine(full, "monitor", "status"),
                        running),
                new Variant("list, full command line (-Dsolo.fast=false)", s.javaLine(full, "list"), "solo-monitor")));
        if (s.aot()) v.removeIf(x -> x.name().contains("round 3")); // no CDS archive to run it with
        if (s.hasOther()) {
            v.add(new Variant(
                    "solo monitor --no-browser (reuse, other launcher)", s.other("monitor", "--no-browser"), reused));
            v.add(new Variant("solo monitor status (other launcher)", s.other("monitor", "status"), running));
            v.add(new Variant("solo list (other launcher)", s.other("list"), "solo-monitor"));
        }
        out.println("archives: " + (s.aot() ? "the launcher's AOT caches" : "the launcher's CDS archives"));
        Medians[] m = measure(s, v, rounds);
        out.println();
        out.println("| command | wall median | CPU median | wall / hello | CPU / hello | wall / lean hello"
                + " | CPU / lean hello | target | result |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---|---|");
        boolean met = true;
        for (int i = 0; i < v.size(); i++) {
            double w = m[i].wallMillis() / m[0].wallMillis();
            double c = m[i].cpuMillis() / m[0].cpuMillis();
            double wl = m[i].wallMillis() / m[1].wallMillis();
            double cl = m[i].cpuMillis() / m[1].cpuMillis();
            boolean target = i == 2 || i == 3;
            boolean general = w <= 1.5 && c <= 1.5;
            boolean strict = general && wl <= 1.5 && cl <= 1.5; // the claim: against both baselines
            if (target) met &= strict;
            String result = !target ? "" : strict ? "met" : general ? "**missed** (lean hello)" : "**missed**";
            out.println("| " + v.get(i).name() + " | " + f1(m[i].wallMillis()) + " ms | " + f1(m[i].cpuMillis())
                    + " ms | " + ratio(i, w) + " | " + ratio(i, c) + " | " + ratio(i, wl) + " | " + ratio(i, cl) + " | "
                    + (target ? "≤ 1.5× wall and CPU" : "") + " | " + result + " |");
        }
        out.println("(medians of " + rounds + " interleaved rounds; wall from bash $EPOCHREALTIME, CPU from bash"
                + " `times`; lean flags: -XX:TieredStopAtLevel=0 instead of =1)");
        return met;
    }

    /** A ratio to a baseline; blank on the baselines' own rows. */
    private static String ratio(int row, double r) {
        return row < 2 ? "" : f2(r) + "×";
    }

    private static void flags(Setup s, int rounds, PrintStream out) throws IOException, InterruptedException {
        List<String> all = s.launcherOptions();
        List<Variant> v = new ArrayList<>();
        v.add(new Variant("all the launcher's flags", s.javaLine(all, "monitor", "--no-browser"), "Monitor already"));
        String[][] drops = {
            {"-XX:TieredStopAtLevel=1", "without -XX:TieredStopAtLevel=1"},
            {"-XX:+UseSerialGC", "without -XX:+UseSerialGC (G1)"},
            {"-XX:-UsePerfData", "without -XX:-UsePerfData"},
            {"-XX:SharedArchiveFile=" + s.archive(), "without the dynamic CDS archive (JDK's base archive only)"}
        };
        for (String[] d : drops) {
            List<String> o = new ArrayList<>(all);
            o.remove(d[0]);
            v.add(new Variant(d[1], s.javaLine(o, "monitor", "--no-browser"), "Monitor already"));
        }
        List<String> off = new ArrayList<>(all);
        off.remove("-XX:SharedArchiveFile=" + s.archive());
        off.remove("-Xshare:auto");
        off.add("-Xshare:off");
        v.add(new Variant(
                "-Xshare:off (no CDS at all)", s.javaLine(off, "monitor", "--no-browser"), "Monitor already"));
        Medians[] m = measure(s, v, rounds);
        out.println();
        out.println("| `solo monitor --no-browser`, launcher's java line | wall median | CPU median | wall / all flags"
                + " | CPU / all flags |");
        out.println("|---|---:|---:|---:|---:|");
        for (int i = 0; i < v.size(); i++) {
            out.println("| " + v.get(i).name() + " | " + f1(m[i].wallMillis()) + " ms | " + f1(m[i].cpuMillis())
                    + " ms | " + f2(m[i].wallMillis() / m[0].wallMillis()) + "× | "
                    + f2(m[i].cpuMillis() / m[0].cpuMillis()) + "× |");
        }
    }

    private static boolean ocr(Setup s, int rounds, PrintStream out) throws IOException, InterruptedException {
        List<Path> images = s.images();
        for (Path image : images) check(new Variant("warm-up", s.solo("ocr", "--file", image.toString()), ""), s);
        double[] soloWall = new double[images.size()];
        double[] soloCpu = new double[images.size()];
        double[] cmdWall = new double[images.size()];
        double[] cmdCpu = new double[images.size()];
        for (int i = 0; i < images.size(); i++) {
            String img = images.get(i).toString();
            List<Variant> v = List.of(
                    new Variant("solo ocr --file", s.solo("ocr", "--file", img), ""),
                    new Variant("tesseract", List.of("tesseract", img, "-"), ""));
            Medians[] m = measure(s, v, rounds);
            soloWall[i] = m[0].wallMillis();
            soloCpu[i] = m[0].cpuMillis();
            cmdWall[i] = m[1].wallMillis();
            cmdCpu[i] = m[1].cpuMillis();
        }
        double sw = Medians.median(soloWall);
        double cw = Medians.median(cmdWall);
        double sc = Medians.median(soloCpu);
        double cc = Medians.median(cmdCpu);
        boolean ok = sw / cw <= 0.5;
        out.println();
        out.println(
                "| " + images.size() + " screen images | solo ocr --file (warm resident) | tesseract IMAGE - | ratio"
                        + " | target | result |");
        out.println("|---|---:|---:|---:|---|---|");
        out.println("| wall, median over images | " + f1(sw) + " ms | " + f1(cw) + " ms | " + f2(sw / cw)
                + "× | ≤ 0.5× | " + (ok ? "met" : "**missed**") + " |");
        out.println("| client CPU, median over images | " + f1(sc) + " ms | " + f1(cc) + " ms | " + f2(sc / cc)
                + "× | | |");
        out.println("(each image's median of " + rounds + " interleaved runs; the resident's CPU is not the client's)");
        return ok;
    }

    /** Runs every variant once per round, in an order that rotates, after one unmeasured round. */
    private static Medians[] measure(Setup s, List<Variant> v, int rounds) throws IOException, InterruptedException {
        Medians[] m = new Medians[v.size()];
        for (int i = 0; i < m.length; i++) m[i] = new Medians();
        for (int round = -1; round < rounds; round++) {
            for (int k = 0; k < v.size(); k++) {
                int i = Math.floorMod(k + round, v.size());
                Timed t = check(v.get(i), s);
                if (round >= 0) m[i].add(t);
            }
        }
        return m;
    }

    private static Timed check(Variant v, Setup s) throws IOException, InterruptedException {
        Timed t = Timed.run(v.command(), s.env, s.scratch);
        if (t.exit() != 0 || !t.output().contains(v.expect())) {
            throw new IOException(v.name() + " failed (exit " + t.exit() + "): " + t.output());
        }
        return t;
    }

    private static String load() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).strip();
    }

    private static String f1(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }

    private static String f2(double d) {
        return String.format(Locale.ROOT, "%.2f", d);
    }
}
