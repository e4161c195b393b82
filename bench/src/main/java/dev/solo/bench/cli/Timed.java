package dev.solo.bench.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one command as a whole process and measures it with bash, a public tool: wall time from {@code
 * $EPOCHREALTIME} just before the command to just after it (microseconds; bash's own start is not
 * counted), CPU time (user + system) of the command and its children from bash's {@code times}
 * (milliseconds). Every variant of a benchmark runs under the same wrapper.
 *
 * @param exit the command's exit code
 * @param wallMicros wall time
 * @param cpuMillis user + system CPU time
 * @param output what the command printed on stdout and stderr
 */
record Timed(int exit, long wallMicros, long cpuMillis, String output) {
    private static final String SCRIPT = "out=$1; shift; s=$EPOCHREALTIME; \"$@\" >\"$out\" 2>&1; rc=$?;"
            + " e=$EPOCHREALTIME; times; echo \"$s $e $rc\"";

    /** Runs {@code command} with {@code env} as its whole environment; at most 120 s. */
    static Timed run(List<String> command, Map<String, String> env, Path scratch)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(scratch, "out-", ".txt");
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", SCRIPT, "bash", out.toString()));
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        String report = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within 120 s");
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        Files.delete(out);
        return parse(report, output, command);
    }

    /**
     * Reads the wrapper's report: {@code times} prints two lines (the shell's, then its children's user
     * and system time, e.g. {@code 0m0.041s 0m0.012s}), then the start, end and exit code.
     */
    static Timed parse(String report, String output, List<String> command) throws IOException {
        String[] lines = report.strip().split("\n");
        if (lines.length < 3) throw new IOException("no timing from " + command + ": " + report);
        String[] children = lines[lines.length - 2].trim().split(" ");
        String[] last = lines[lines.length - 1].trim().split(" ");
        long wall = micros(last[1]) - micros(last[0]);
        long cpu = millis(children[0]) + millis(children[1]);
        return new Timed(Integer.parseInt(last[2]), wall, cpu, output);
    }

    /** {@code 1701234567.123456} → microseconds. */
    private static long micros(String epoch) {
        int dot = epoch.indexOf('.');
        return Long.parseLong(epoch.substring(0, dot)) * 1_000_000 + Long.parseLong(epoch.substring(dot + 1));
    }

    /** {@code 0m0.041s} → milliseconds. */
    private static long millis(String times) {
        int m = times.indexOf('m');
        double seconds = Double.parseDouble(times.substring(m + 1, times.length() - 1));
        return Long.parseLong(times.substring(0, m)) * 60_000 + Math.round(seconds * 1000);
    }
}
