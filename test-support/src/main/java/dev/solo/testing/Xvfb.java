package dev.solo.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A private X server: {@code Xvfb :N -screen 0 WxHx24 -nolisten tcp} on the first free display number
 * from a per-JVM offset, so parallel builds do not meet. Close it to stop it.
 */
public final class Xvfb implements AutoCloseable {
    private final String display;
    private final Process process;

    private Xvfb(String display, Process process) {
        this.display = display;
        this.process = process;
    }

    /** A 1280x800 screen; skips the test (or fails under CI) when Xvfb is missing. */
    public static Xvfb start() throws IOException {
        return start(1280, 800);
    }

    /** A {@code width}x{@code height} screen; skips the test (or fails under CI) when Xvfb is missing. */
    public static Xvfb start(int width, int height) throws IOException {
        String xvfb = Prerequisite.XVFB.require();
        for (int n = 90 + (int) (ProcessHandle.current().pid() % 200); n < 1000; n++) {
            Path socket = Path.of("/tmp/.X11-unix/X" + n);
            if (Files.exists(socket) || Files.exists(Path.of("/tmp/.X" + n + "-lock"))) continue;
            Process p = new ProcessBuilder(
                            xvfb, ":" + n, "-screen", "0", width + "x" + height + "x24", "-nolisten", "tcp")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            try {
                await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> Files.exists(socket) || !p.isAlive());
            } catch (ConditionTimeoutException e) {
                p.destroyForcibly();
                throw new IllegalStateException("Xvfb :" + n + " made no socket " + socket + " within 30 s", e);
            }
            if (p.isAlive()) return new Xvfb(":" + n, p);
            // another build took this display number in the meantime: try the next
        }
        throw new IllegalStateException("no free X display number below 1000 (see /tmp/.X11-unix)");
    }

    /** The value for {@code DISPLAY}, e.g. {@code :123}. */
    public String display() {
        return display;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
}
