package dev.solo.monitor.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a command as another OS user, {@code nobody}, for the attack tests: {@code setpriv --reuid=nobody
 * --regid=nogroup --clear-groups}. Where that is impossible (not root, no setpriv) the test is skipped
 * with the reason, except under {@code CI=true}, where CI runs as root and a skip would hide the attack.
 */
final class OtherUser {
    static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    record Result(int exit, String out, String err) {}

    private OtherUser() {}

    /** Skips the test (or fails it under CI=true) when commands cannot run as nobody here. */
    static void assume() {
        String why = null;
        if (!"root".equals(System.getProperty("user.name")))
            why = "the attack tests run another OS user; that needs root";
        else if (!Files.isExecutable(SETPRIV)) why = "no " + SETPRIV + " (util-linux) to run the attacker as nobody";
        if (why != null && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(why + ", and CI=true: the attack tests must run in CI");
        }
        Assumptions.assumeTrue(why == null, why);
    }

    /** The command line that runs {@code cmd} as nobody. */
    static List<String> as(List<String> cmd) {
        List<String> all =
                new ArrayList<>(List.of(SETPRIV.toString(), "--reuid=nobody", "--regid=nogroup", "--clear-groups"));
        all.addAll(cmd);
        return all;
    }

    /** Runs {@code cmd} as nobody and waits (at most 30 s) for it. */
    static Result run(String... cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile("other-user-out", ".txt");
        Path err = Files.createTempFile("other-user-err", ".txt");
        Process p = new ProcessBuilder(as(List.of(cmd)))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS))
                throw new AssertionError("as nobody: " + cmd[0] + " did not finish in 30 s");
            return new Result(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
