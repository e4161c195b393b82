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
        try (SoloInstall solo = SoloInstall.copyOf(repo, FreePorts.free(new java.util.Random()));
                TempDir hello = TempDir.create("solo-bench-hello-")) {
            ReuseStartBench.compileHello(hello.path());
            List<String> command = ServerChild.commandOf(solo);
            List<String> extra = childFlags();
            log.println("  server start: " + String.join(" ", command) + (extra.isEmpty() ? "" : " + " + extra));
            List<String> helloCmd =
                    List.of(solo.java(), "-XX:+UseSerialGC", "-cp", hello.path().toString(), "Hello");
            Samples starts = new Samples();
            Samples cpu = new Samples();
            Samples bare = new Samples();
            for (int r = 0; r < WARMUP + rounds; r++) {
                SoloInstall.Run h = solo.run(helloCmd);
                if (h.exit() != 0) throw new IOException("Hello failed: " + h.output());
                try (ServerChild server = ServerChild.start(solo, command, extra)) {
                    long cpuMillis = ProcStat.cpuMillis(server.pid());
                    if (r >= WARMUP) {
                        bare.add(h.nanos());
                        starts.add(server.startNanos());
                        cpu.add(cpuMillis * 1_000_000);
                    }
                }
            }
            List<Row> rows = new ArrayList<>();
            rows.add(Row.info(
                    "server start: baseline, bare JVM (Hello) spawn to exit",
                    format("%.0f ms (%.0f–%.0f)", bare.medianMillis(), bare.minMillis(), bare.maxMillis()),
                    "",
                    ""));
            double median = starts.medianMillis();
            rows.add(new Row(
                    "server start: spawn to first healthy /health",
                    format("%.0f ms (%.0f–%.0f)", median, starts.minMillis(), starts.maxMillis()),
                    format("bare JVM %.0f ms", bare.medianMillis()),
                    format("%.2f×", median / bare.medianMillis()),
                    "≤ 300 ms",
                    median <= 300 ? "PASS" : "**MISS**"));
            rows.add(Row.info(
                    "server start: CPU the server used until then (user + system)",
                    format("%.0f ms", cpu.medianMillis()),
                    "",
                    ""));
            rows.add(Row.note(format(
                    "server start: medians of %d rounds after %d warm-up, alternating with the baseline%s",
                    rounds, WARMUP, extra.isEmpty() ? "" : "; server flags added: " + String.join(" ", extra))));
            return rows;
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
