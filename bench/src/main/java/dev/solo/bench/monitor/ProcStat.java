package dev.solo.bench.monitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What Linux says about a process: its CPU time ({@code /proc/<pid>/stat}, every thread: request
 * handling, the store's writer, GC and JIT), its resident memory ({@code /proc/<pid>/status}), its
 * command line, and {@code jcmd} reports. Figures are -1 where the OS does not tell (not Linux, or the
 * process is gone).
 */
final class ProcStat {
    private ProcStat() {}

    /** User plus system CPU time of {@code pid} in milliseconds, or -1. */
    static long cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
            // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
            return ticks * 1000 / clockTicks();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * CPU milliseconds of {@code pid}'s live threads, summed by thread name with digits and trailing
     * dashes removed ({@code monitor-http-12} and {@code monitor-http-3} count as {@code monitor-http}).
     * Threads that ended are not in it. Empty where the OS does not tell.
     */
    static java.util.Map<String, Long> threadCpuMillis(long pid) {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(t.resolve("comm"), StandardCharsets.UTF_8)
                            .strip()
                            .replaceAll("[0-9]+", "")
                            .replaceAll("[- ]+$", "");
                    String stat = Files.readString(t.resolve("stat"), StandardCharsets.US_ASCII);
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ms = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000 / clockTicks();
                    out.merge(name, ms, Long::sum);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            return java.util.Map.of();
        }
        return out;
    }

    /** {@code VmRSS} and {@code VmHWM} of {@code pid} in KiB; -1 where unknown. */
    static long[] memoryKb(long pid) {
        long[] out = {-1, -1};
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) out[0] = Long.parseLong(line.replaceAll("[^0-9]", ""));
                if (line.startsWith("VmHWM:")) out[1] = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | RuntimeException e) {
            // reported as -1
        }
        return out;
    }

    /** The command line {@code pid} was started with, or an empty list. */
    static List<String> commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
            List<String> out = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == 0) {
                    out.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            return out;
        } catch (IOException e) {
            return List.of();
        }
    }

    /** {@code jcmd <pid> <command>}'s output (at most 60 s), or the reason it could not run. */
    static String jcmd(String javaHome, long pid, String command) {
        String jcmd = javaHome == null || javaHome.isEmpty() ? "jcmd" : javaHome + "/bin/jcmd";
        return output(List.of(jcmd, Long.toString(pid), command));
    }

    /** The resident set of {@code pid} by mapping ({@code pmap -x}), largest first, at most {@code lines}. */
    static String pmap(long pid, int lines) {
        String out = output(List.of("pmap", "-x", Long.toString(pid)));
        List<String> rows = new ArrayList<>(List.of(out.split("\n")));
        List<String> mappings = new ArrayList<>();
        for (String r : rows) if (r.matches("^[0-9a-f]{8,}\\s.*")) mappings.add(r);
        mappings.sort(java.util.Comparator.comparingLong(
                        (String r) -> Long.parseLong(r.trim().split("\\s+")[2]))
                .reversed());
        StringBuilder b = new StringBuilder(rows.isEmpty() ? "" : rows.get(rows.size() - 1) + "\n");
        for (int i = 0; i < Math.min(lines, mappings.size()); i++)
            b.append(mappings.get(i)).append('\n');
        return b.toString();
    }

    /**
     * A process's resident set by kind, in KiB, from the text of its {@code /proc/<pid>/smaps}: the Java heap (the
     * mappings inside {@code heapLow..heapHigh}, which {@link #heapRange} reads), the class-data archives or
     * AOT cache ({@code .jsa}, {@code .aot}), {@code libjvm.so}, the code cache (anonymous and executable),
     * glibc's main malloc heap ({@code [heap]}), other anonymous memory (thread stacks, glibc's thread arenas,
     * metaspace, the collector's tables) and other files.
     */
    static java.util.Map<String, Long> residentByKind(String smaps, long heapLow, long heapHigh) {
        java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (String k : List.of("heap", "archive", "libjvm", "code", "malloc", "anon", "files")) out.put(k, 0L);
        String kind = null;
        for (String line : smaps.split("\n")) {
            if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                String[] f = line.trim().split("\\s+", 6);
                String[] range = f[0].split("-");
                long start = Long.parseUnsignedLong(range[0], 16);
                String path = f.length > 5 ? f[5] : "";
                if (start >= heapLow && start < heapHigh && path.isEmpty()) kind = "heap";
                else if (path.endsWith(".jsa") || path.endsWith(".aot")) kind = "archive";
                else if (path.endsWith("libjvm.so")) kind = "libjvm";
                else if (path.equals("[heap]")) kind = "malloc";
                else if (path.isEmpty() && f[1].contains("x")) kind = "code";
                else if (path.isEmpty() || path.startsWith("[")) kind = "anon";
                else kind = "files";
            } else if (line.startsWith("Rss:") && kind != null) {
                out.merge(kind, Long.parseLong(line.replaceAll("[^0-9]", "")), Long::sum);
            }
        }
        return out;
    }

    /**
     * The Java heap's reserved range of {@code pid}, {@code {low, high}}, from the addresses {@code jcmd
     * GC.heap_info} prints (every generation's {@code [start, top, end)}); {@code {0, 0}} when unknown.
     */
    static long[] heapRange(String javaHome, long pid) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("0x([0-9a-f]{8,16})").matcher(jcmd(javaHome, pid, "GC.heap_info"));
        long low = Long.MAX_VALUE;
        long high = 0;
        while (m.find()) {
            long a = Long.parseUnsignedLong(m.group(1), 16);
            low = Math.min(low, a);
            high = Math.max(high, a);
        }
        return high == 0 ? new long[] {0, 0} : new long[] {low, high};
    }

    private static String output(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return command + " did not finish within 60 s";
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return command + " failed: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Clock ticks per second: 100 on every Linux this runs on ({@code getconf CLK_TCK}). */
    private static long clockTicks() {
        return 100;
    }
}
