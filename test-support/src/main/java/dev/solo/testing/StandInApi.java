package dev.solo.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The stand-in for the Anthropic Messages API ({@code stand-in-messages-api.py}, a copy of the team's
 * shared tool, see its {@code PROVENANCE.md}) running on python3 on a free loopback port, so the real
 * Claude Code CLI runs whole scripted sessions offline. Skips the test (or fails under CI) without
 * python3. Close it to stop it.
 */
public final class StandInApi implements AutoCloseable {
    private static final String SCRIPT = "claude/stand-in-messages-api.py";

    private final Process process;
    private final int port;
    private final Path requestLog;

    private StandInApi(Process process, int port, Path requestLog) {
        this.process = process;
        this.port = port;
        this.requestLog = requestLog;
    }

    /**
     * Starts it with its files (script copy, request log, output) in {@code dir}; each answer is
     * delayed by {@code delay} (the script's default is 0.3 s; a short one makes sessions quick).
     */
    public static StandInApi start(Path dir, Duration delay) throws IOException {
        String python = Prerequisite.PYTHON3.require();
        Files.createDirectories(dir);
        Path script = dir.resolve("stand-in-messages-api.py");
        try (InputStream in = StandInApi.class.getResourceAsStream(SCRIPT)) {
            if (in == null) throw new IllegalStateException("the test-support jar lacks " + SCRIPT);
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        Path log = dir.resolve("requests.jsonl");
        int port = Ports.free();
        Process p = new ProcessBuilder(
                        List.of(python, script.toString(), Integer.toString(port), log.toString(), seconds(delay)))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("stand-in.out").toFile())
                .start();
        StandInApi api = new StandInApi(p, port, log);
        try {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> !p.isAlive() || accepts(port));
        } catch (ConditionTimeoutException e) {
            api.close();
            throw new IllegalStateException("the stand-in API did not listen on port " + port + " within 30 s; its"
                    + " output: " + dir.resolve("stand-in.out"));
        }
        if (!p.isAlive()) {
            throw new IllegalStateException("the stand-in API exited with " + p.exitValue() + " before listening on"
                    + " port " + port + ": " + Files.readString(dir.resolve("stand-in.out")));
        }
        return api;
    }

    private static String seconds(Duration d) {
        return Double.toString(d.toMillis() / 1000.0);
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(Loopback.V4, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public int port() {
        return port;
    }

    /** The value for {@code ANTHROPIC_BASE_URL}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** One JSON line per request it answered: path, kind, step, the tool calls it sent back. */
    public Path requestLog() {
        return requestLog;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
