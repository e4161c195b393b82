package dev.solo.bench.ocr;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A headless {@code solo ocr} resident from the runnable jar, with its own state directory and a
 * port range below the ephemeral range, for whole-process {@code solo ocr --file} timings. Clients
 * run with the launcher's JVM flags. Closing it stops the resident (SIGTERM, then kill).
 */
final class WarmResident implements AutoCloseable {
    private static final int PORT_START = 21500; // the OCR engineer's manual block; override with -Docr.bench.port
    private final Path jar;
    private final Path home;
    private final int port;
    private final Process process;

    private WarmResident(Path jar, Path home, int port, Process process) {
        this.jar = jar;
        this.home = home;
        this.port = port;
        this.process = process;
    }

    static WarmResident start(Path jar, Path work) throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException(jar + " does not exist; build it with ./mvnw -q -pl cli -am package -DskipTests");
        }
        Path home = Files.createDirectories(work.resolve("solo-home"));
        int port = Integer.getInteger("ocr.bench.port", PORT_START);
        ProcessBuilder pb = new ProcessBuilder(java(jar, "ocr"));
        env(pb, home, port);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String line;
        while ((line = r.readLine()) != null && System.nanoTime() < deadline) {
            if (line.startsWith("solo ocr running on port")) {
                Thread drain = new Thread(
                        () -> {
                            try {
                                while (r.readLine() != null) {
                                    // the resident's log is not part of the figures
                                }
                            } catch (IOException closed) {
                                // the resident stopped
                            }
                        },
                        "bench-resident-output");
                drain.setDaemon(true);
                drain.start();
                return new WarmResident(jar, home, port, p);
            }
        }
        p.destroyForcibly();
        throw new IOException("the solo ocr resident did not start within 60 s");
    }

    private static List<String> java(Path jar, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-XX:-UsePerfData",
                "-jar",
                jar.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static void env(ProcessBuilder pb, Path home, int port) {
        pb.environment().put("SOLO_HOME", home.toString());
        pb.environment().put("HOME", home.toString());
        pb.environment().put("SINGLEINSTANCE_PORT_START", Integer.toString(port));
        pb.environment().put("SINGLEINSTANCE_PORT_END", Integer.toString(port + 4));
        pb.environment().remove("DISPLAY");
        pb.environment().remove("SOLO_OCR_ENV");
    }

    /** {@code solo ocr --file FILE} as a whole process; fails unless it exits 0. */
    void file(Path file) throws IOException, InterruptedException {
        if (fileExit(file) != 0) throw new IOException("solo ocr --file " + file + " failed");
    }

    /** {@code solo ocr --file FILE} as a whole process; its exit code. */
    int fileExit(Path file) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(java(jar, "ocr", "--file", file.toString()));
        env(pb, home, port);
        Process p = pb.redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("solo ocr --file " + file + " did not finish within 120 s");
        }
        return p.exitValue();
    }

    /** The resident's resident set size in MB, from /proc (Linux only). */
    long rssMegabytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
        throw new IOException("no VmRSS in /proc/" + process.pid() + "/status");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
}
