package dev.solo.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A program the test ran to its end: its exit code and what it printed. {@link #run} gives it no input
 * (stdin is {@code /dev/null}), collects stdout and stderr in temporary files (no pipe to drain, so a
 * chatty program cannot block), and kills it when it outlives its limit.
 *
 * @param exit the exit code
 * @param out what it printed on stdout
 * @param err what it printed on stderr
 */
public record Finished(int exit, String out, String err) {
    /**
     * Starts {@code pb} (its output and input redirections are replaced) and waits at most {@code limit}
     * for it; {@code what} names it in the failure when it does not end in time.
     */
    public static Finished run(ProcessBuilder pb, Duration limit, String what)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("solo-test-out-", ".txt");
        Path err = Files.createTempFile("solo-test-err-", ".txt");
        pb.redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        try {
            Process p = pb.start();
            try {
                if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException(what + " did not finish within " + limit.toSeconds() + " s");
                }
                return new Finished(
                        p.exitValue(),
                        Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                p.destroyForcibly();
            }
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
