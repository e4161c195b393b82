package dev.solo.cli.ocr;

import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** An X server for one test class: {@code Xvfb :N -screen 0 1280x800x24} on a free display number. */
final class Xvfb implements AutoCloseable {
    final String display;
    private final Process process;

    private Xvfb(String display, Process process) {
        this.display = display;
        this.process = process;
    }

    /** Starts Xvfb, or skips the test class when Xvfb is not installed. */
    static Xvfb start() throws IOException {
        return start(List.of());
    }

    /**
     * Starts Xvfb with {@code options} after the standard ones (e.g. {@code -extension RECORD}, an X
     * server without the extension the global hotkey needs), or skips the test class when Xvfb is not
     * installed.
     */
    static Xvfb start(List<String> options) throws IOException {
        String xvfb = require(
                "Xvfb",
                "the X11 tests (overlay, clipboard, hotkey) need it."
                        + " Install it with 'apt-get install xvfb xauth xclip' (.ci/run does).");
        for (int n = 90 + (int) (ProcessHandle.current().pid() % 50); n < 400; n++) {
            Path socket = Path.of("/tmp/.X11-unix/X" + n);
            if (Files.exists(socket) || Files.exists(Path.of("/tmp/.X" + n + "-lock"))) continue;
            List<String> cmd =
                    new ArrayList<>(List.of(xvfb, ":" + n, "-screen", "0", "1280x800x24", "-nolisten", "tcp"));
            cmd.addAll(options);
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            try {
                await().atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> Files.exists(socket) || !p.isAlive());
            } catch (RuntimeException e) {
                p.destroyForcibly();
                throw e;
            }
            if (p.isAlive()) return new Xvfb(":" + n, p);
        }
        throw new IllegalStateException("no free X display number between 90 and 400");
    }

    /**
     * A display name no X server answers at: as a terminal multiplexer keeps {@code DISPLAY} after the
     * desktop session it came from has ended. Numbers above those {@link #start} uses.
     */
    static String unused() {
        for (int n = 500 + (int) (ProcessHandle.current().pid() % 100); n < 1000; n++) {
            if (!Files.exists(Path.of("/tmp/.X11-unix/X" + n)) && !Files.exists(Path.of("/tmp/.X" + n + "-lock"))) {
                return ":" + n;
            }
        }
        throw new IllegalStateException("no unused X display number between 500 and 1000");
    }

    /**
     * The path of {@code program}. When it is missing the test is skipped with {@code why}, except
     * under {@code CI=true}, where {@code .ci/run} installs it and its absence fails the test.
     */
    static String require(String program, String why) {
        String path = which(program);
        String message = program + " is not installed: " + why;
        if (path == null && "true".equals(System.getenv("CI"))) throw new AssertionError(message);
        assumeThat(path).as(message).isNotNull();
        return path;
    }

    static String which(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            File f = new File(dir, program);
            if (f.canExecute()) return f.getPath();
        }
        return null;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
}
