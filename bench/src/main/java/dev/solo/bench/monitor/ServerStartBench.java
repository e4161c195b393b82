package dev.solo.bench.monitor;

import static dev.solo.bench.monitor.MonitorReport.format;

import dev.solo.bench.monitor.MonitorReport.Row;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 14's start target: from spawning the monitor's server process to its first healthy {@code GET
 * /health}, which is what the first hook after boot waits for with a socket-activated service.
 *
 * <p>The command is the one {@code solo monitor} really runs: a first {@code solo monitor --no-browser}
 * from a {@link SoloInstall} copy starts the server child, whose command line ({@code /proc/<pid>/cmdline},
 * the JVM flags of {@code Launcher.javaCommand()}) is recorded before it is stopped. A first start and
 * stop before it leaves whatever a first run records (the monitor's class-data-sharing archive, written
 * when that server exits), as on a user's machine. Each round then spawns that command directly, polls {@code /health} on a fresh
 * connection every 0.5 ms until it answers 200, and stops the server with {@code POST /api/shutdown}.
 * Rounds alternate with the baseline, a bare {@code java -XX:+UseSerialGC -cp DIR Hello} spawn to exit.
 * For A/B runs, {@code -Dsolo.bench.childFlags="..."} adds JVM flags after the server's own (as for
 * {@link HookPathBench}); the baseline does not get them.
 */
final class ServerStartBench {
    private static final int WARMUP = 1;

    private ServerStartBench() {}

    static List<Row> run(Path repo, int rounds, PrintStream log) throws IOException, InterruptedException {
        return run(repo, null, rounds, log);
    }

    /**
     * As {@link #run(Path, int, PrintStream)}; with {@code versus} (another checkout with its own {@code
     * ./solo} and {@code cli/target/solo.jar}, or null) each round also starts that build's server, so the
     * two builds are compared round by round on the same machine state: the order within a round
     * alternates (this build first in even rounds), and the figure judged is the median of the per-round
     * ratios {@code this / versus}, which load that drifts between rounds does not bias.
     */
    static List<Row> run(Path repo, Path versus, int rounds, PrintStream log) throws IOException, InterruptedException {
        try (SoloInstall solo = SoloInstall.copyOf(repo, FreePorts.free(new java.util.Random()));
                SoloInstall other =
                        versus == null ? null : SoloInstall.copyOf(versus, FreePorts.free(new java.util.Random()));
                TempDir hello = TempDir.create("solo-bench-hello-")) {
            ReuseStartBench.compileHello(hello.path());
            List<String> command = ServerChild.commandOf(solo);
            List<String> otherCommand = other == null ? null : ServerChild.commandOf(other);
            List<String> extra = childFlags();
            log.println("  server start: " + String.join(" ", command) + (extra.isEmpty() ? "" : " + " + extra));
            if (other != null) log.println("  versus: " + String.join(" ", otherCommand));
            List<String> helloCmd =
                    List.of(solo.java(), "-XX:+UseSerialGC", "-cp", hello.path().toString(), "Hello");
            Samples bare = new Samples();
            Timed mine = new Timed();
            Timed theirs = new Timed();
            List<Double> ratios = new ArrayList<>();
            for (int r = 0; r < WARMUP + rounds; r++) {
                SoloInstall.Run h = solo.run(helloCmd);
                if (h.exit() != 0) throw new IOException("Hello failed: " + h.output());
                boolean measured = r >= WARMUP;
                if (measured) bare.add(h.nanos());
                if (other == null) {
                    mine.time(solo, command, extra, measured);
                    continue;
                }
                long a;
                long b;
                if (r % 2 == 0) {
                    a = mine.time(solo, command, extra, measured);
                    b = theirs.time(other, otherCommand, extra, measured);
                } else {
                    b = theirs.time(other, otherCommand, extra, measured);
                    a = mine.time(solo, command, extra, measured);
                }
                if (measured) ratios.add((double) a / b);
            }
            List<Row> rows = new ArrayList<>();
            rows.add(Row.info(
                    "server start: baseline, bare JVM (Hello) spawn to exit",
                    format("%.0f ms (%.0f–%.0f)", bare.medianMillis(), bare.minMillis(), bare.maxMillis()),
                    "",
                    ""));
            double median = mine.starts.medianMillis();
            rows.add(new Row(
                    "server start: spawn to first healthy /health",
                    format("%.0f ms (%.0f–%.0f)", median, mine.starts.minMillis(), mine.starts.maxMillis()),
                    format("bare JVM %.0f ms", bare.medianMillis()),
                    format("%.2f×", median / bare.medianMillis()),
                    "≤ 300 ms",
                    median <= 300 ? "PASS" : "**MISS**"));
            rows.add(Row.info(
                    "server start: CPU the server used until then (user + system)",
                    format("%.0f ms", mine.cpu.medianMillis()),
                    "",
                    ""));
            if (other != null) {
                double theirMedian = theirs.starts.medianMillis();
                rows.add(Row.info(
                        "server start, versus: spawn to first healthy /health",
                        format(
                                "%.0f ms (%.0f–%.0f)",
                                theirMedian, theirs.starts.minMillis(), theirs.starts.maxMillis()),
                        format("bare JVM %.0f ms", bare.medianMillis()),
                        format("%.2f×", theirMedian / bare.medianMillis())));
                rows.add(Row.info(
                        "server start, versus: CPU the server used until then",
                        format("%.0f ms", theirs.cpu.medianMillis()),
                        "",
                        ""));
                ratios.sort(null);
                rows.add(Row.info(
                        "server start: this build / versus, median of the per-round ratios",
                        format("%.2f×", ratios.get(ratios.size() / 2)),
                        format("%.2f–%.2f", ratios.get(0), ratios.get(ratios.size() - 1)),
                        ""));
            }
            rows.add(Row.note(format(
                    "server start: medians of %d rounds after %d warm-up, alternating with the baseline%s%s",
                    rounds,
                    WARMUP,
                    other == null ? "" : " and with " + versus,
                    extra.isEmpty() ? "" : "; server flags added: " + String.join(" ", extra))));
            return rows;
        }
    }

    /** One build's start times and CPU. */
    private static final class Timed {
        final Samples starts = new Samples();
        final Samples cpu = new Samples();

        /** Starts, times and stops one server; records it when {@code measured}; returns the start in ns. */
        long time(SoloInstall solo, List<String> command, List<String> extra, boolean measured)
                throws IOException, InterruptedException {
            try (ServerChild server = ServerChild.start(solo, command, extra)) {
                long cpuMillis = ProcStat.cpuMillis(server.pid());
                if (measured) {
                    starts.add(server.startNanos());
                    cpu.add(cpuMillis * 1_000_000);
                }
                return server.startNanos();
            }
        }
    }

    /** The flags of {@code -Dsolo.bench.childFlags}, split at spaces; empty when unset. */
    static List<String> childFlags() {
        List<String> out = new ArrayList<>();
        for (String f : System.getProperty("solo.bench.childFlags", "").split(" +")) {
            if (!f.isBlank()) out.add(f);
        }
        return out;
    }
}
