package dev.solo.cli.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child JVM on the test class path: {@code solo ...} (dev.solo.cli.Main) or a test helper. Its
 * stdout and stderr lines are collected as they come, so a test can wait for a line with a deadline.
 */
final class Child implements AutoCloseable {
    final Process process;
    private final List<String> out = new ArrayList<>();
    private final List<String> err = new ArrayList<>();
    private final List<Thread> pumps = new ArrayList<>();

    private Child(Process process) {
        this.process = process;
        pump(process.getInputStream(), out, "out");
        pump(process.getErrorStream(), err, "err");
    }

    /**
     * {@code java -cp <test class path> mainClass args} with {@code env} on top of this environment, with the
     * launcher's options that change what the child prints (native access for Tesseract).
     * The child's home ({@code HOME} and {@code user.home}) and the native caches of JavaCPP and JNA are under
     * {@code target/}, so no test writes to the real home directory.
     */
    static Child start(Map<String, String> env, String mainClass, String... args) throws IOException {
        return start(env, List.of(), mainClass, args);
    }

    /** {@link #start(Map, String, String...)} with extra JVM options. */
    static Child start(Map<String, String> env, List<String> jvmOptions, String mainClass, String... args)
            throws IOException {
        return start(List.of(), env, jvmOptions, mainClass, args);
    }

    /** {@code solo args} with at most {@code files} open file descriptors ({@code ulimit -n}, via bash). */
    static Child soloWithFileLimit(Map<String, String> env, int files, String... args) throws IOException {
        return start(
                List.of("bash", "-c", "ulimit -n " + files + " && exec \"$@\"", "solo-with-ulimit"),
                env,
                List.of(),
                "dev.solo.cli.Main",
                args);
    }

    private static Child start(
            List<String> prefix, Map<String, String> env, List<String> jvmOptions, String mainClass, String... args)
            throws IOException {
        Path target = target();
        Path home = Files.createDirectories(target.resolve("child-home"));
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED", // as the launcher (solo) gives every full JVM: JDK 24+ warns
                "-Duser.home=" + home,
                "-Dorg.bytedeco.javacpp.cachedir=" + target.resolve("javacpp-cache"),
                "-Djna.tmpdir=" + target.resolve("jna-cache")));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("DISPLAY");
        pb.environment().remove("SOLO_OCR_ENV");
        pb.environment().put("HOME", home.toString());
        for (var e : env.entrySet()) {
            if (e.getValue() == null) pb.environment().remove(e.getKey());
            else pb.environment().put(e.getKey(), e.getValue());
        }
        return new Child(pb.start());
    }

    /** The module's {@code target} directory (Surefire runs tests in the module directory). */
    static Path target() {
        return Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("target");
    }

    /** {@code solo args}. */
    static Child solo(Map<String, String> env, String... args) throws IOException {
        return start(env, "dev.solo.cli.Main", args);
    }

    private void pump(InputStream in, List<String> lines, String name) {
        Thread t = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            synchronized (this) {
                                lines.add(line);
                                notifyAll();
                            }
                        }
                    } catch (IOException ignored) {
                        // the process ended
                    }
                },
                "child-" + process.pid() + "-" + name);
        t.setDaemon(true);
        pumps.add(t);
        t.start();
    }

    OutputStream stdin() {
        return process.getOutputStream();
    }

    synchronized String out() {
        return String.join("\n", out);
    }

    synchronized String err() {
        return String.join("\n", err);
    }

    /** Waits until a stdout line matches; fails with everything the child said. */
    String awaitOut(Predicate<String> p, Duration within) throws InterruptedException {
        return await(out, p, within, "stdout");
    }

    /** Waits until {@code n} stderr lines match; fails with everything the child said. */
    String awaitErr(Predicate<String> p, int n, Duration within) throws InterruptedException {
        int[] seen = {0};
        return await(err, l -> p.test(l) && ++seen[0] == n, within, "stderr");
    }

    /** Waits until a stderr line matches; fails with everything the child said. */
    String awaitErr(Predicate<String> p, Duration within) throws InterruptedException {
        return await(err, p, within, "stderr");
    }

    private synchronized String await(List<String> lines, Predicate<String> p, Duration within, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        int seen = 0;
        while (true) {
            for (; seen < lines.size(); seen++) {
                if (p.test(lines.get(seen))) return lines.get(seen);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no matching " + what + " line within " + within.toMillis() + " ms (alive: "
                        + process.isAlive() + ")\n--- stdout:\n" + String.join("\n", out) + "\n--- stderr:\n"
                        + String.join("\n", err));
            }
            wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
    }

    /**
     * Sends SIGTERM and keeps reading what the child says while it shuts down ({@code
     * Process.destroy()} would also close our ends of its pipes, losing its last lines).
     */
    void terminate() {
        process.toHandle().destroy();
    }

    /** Waits for the exit and returns the code; fails with the output if it takes longer. */
    int exitCode(Duration within) throws InterruptedException {
        boolean ended = process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(ended)
                .as("process did not exit within %s%n--- stdout:%n%s%n--- stderr:%n%s", within, out(), err())
                .isTrue();
        for (Thread t : pumps) t.join(5000);
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
