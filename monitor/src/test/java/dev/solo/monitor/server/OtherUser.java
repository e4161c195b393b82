package dev.solo.monitor.server;

import dev.solo.testing.Prerequisite;
import dev.solo.testing.Programs;
import dev.solo.testing.TestEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.opentest4j.TestAbortedException;

/**
 * Runs a command as another OS user, {@code nobody}, for the attack tests: {@code setpriv --reuid=nobody
 * --regid=nogroup --clear-groups}. Where that is impossible (no setpriv, not root) the test is skipped
 * with the reason, except under {@code CI=true}, where CI runs as root and a skip would hide the attack
 * (see {@link Prerequisite#SETPRIV}).
 */
final class OtherUser {
    record Result(int exit, String out, String err) {}

    private OtherUser() {}

    /** Skips the test (or fails it under CI=true) when commands cannot run as nobody here. */
    static void assume() {
        Prerequisite.SETPRIV.require();
        if ("root".equals(System.getProperty("user.name"))) return;
        String why = "the other-user tests start processes as 'nobody' with setpriv, which needs root. To run them:"
                + " run the tests as root (CI does)";
        if (TestEnvironment.isCi()) throw new AssertionError("CI=true but not root: " + why);
        throw new TestAbortedException(Prerequisite.NOT_HERE + "root: " + why + ".");
    }

    /** Where {@code program} is, for the attacker to run; skips the test (fails it under CI) without it. */
    static String program(String program) {
        // the system's copy first: a PATH entry under root's home (pyenv shims, ~/.local/bin) is not
        // readable by nobody
        Path system = Path.of("/usr/bin", program);
        if (Files.isExecutable(system)) return system.toString();
        var found = Programs.find(program);
        if (found.isPresent()) return found.get();
        if (TestEnvironment.isCi())
            throw new AssertionError("CI=true but there is no " + program + " on PATH; .ci/run installs it");
        throw new TestAbortedException(
                Prerequisite.MARKER + "no " + program + ": the attack tests run it as another user."
                        + " To run them: apt-get install " + program + " (.ci/run does).");
    }

    /** The command line that runs {@code cmd} as nobody. */
    static List<String> as(List<String> cmd) {
        List<String> all = new ArrayList<>(
                List.of(Prerequisite.SETPRIV.require(), "--reuid=nobody", "--regid=nogroup", "--clear-groups"));
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
