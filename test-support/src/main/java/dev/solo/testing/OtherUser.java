package dev.solo.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.opentest4j.TestAbortedException;

/**
 * The attacker of the attack tests: processes of another OS user, {@code nobody}, started with {@code
 * setpriv --reuid=nobody --regid=nogroup --clear-groups}. Where that is impossible (no setpriv, not
 * root, a program the attack needs is missing) the test is skipped with the reason, except under
 * {@code CI=true}: CI runs as root and installs them, and a skip there would hide an attack that works
 * (see {@link Prerequisite#SETPRIV}).
 *
 * <p>The static methods run one command as nobody. An instance also owns a directory nobody may write to
 * (the attacker's logs) and the long-running attackers it started, which {@link #close()} kills.
 */
public final class OtherUser implements AutoCloseable {
    /** The uid of {@code nobody} on Debian and most Linux systems. */
    public static final int NOBODY_UID = 65534;

    /** The attack scripts of the module under test: its {@code src/test/resources/attack}, as compiled. */
    public static final Path SCRIPTS =
            TestEnvironment.targetDir().resolve("test-classes").resolve("attack");

    /** What a command run as nobody ended with: its exit code, and its stdout and stderr merged. */
    public record Result(int exit, String out) {}

    private final List<Process> started = new ArrayList<>();
    private final Path dir;

    /**
     * An attacker for the attack scripts (python3, curl): skips the test without them. Creates {@code
     * tempDir/attacker} (mode 0777) and lets others pass through {@code tempDir} (0711: not list it; the
     * victim's state directory below it stays 0700).
     */
    public OtherUser(Path tempDir) throws IOException {
        assume();
        Prerequisite.PYTHON3.require();
        program("curl");
        dir = Files.createDirectories(tempDir.resolve("attacker"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(tempDir, PosixFilePermissions.fromString("rwx--x--x"));
    }

    /** The directory nobody may write to, for the attacker's logs and files. */
    public Path dir() {
        return dir;
    }

    /** Skips the test (or fails it under CI=true) when commands cannot run as nobody here. */
    public static void assume() {
        Prerequisite.SETPRIV.require();
        if ("root".equals(System.getProperty("user.name"))) return;
        String why = "the other-user tests start processes as 'nobody' with setpriv, which needs root. To run them:"
                + " run the tests as root (CI does)";
        if (TestEnvironment.isCi()) throw new AssertionError("CI=true but not root: " + why);
        throw new TestAbortedException(Prerequisite.NOT_HERE + "root: " + why + ".");
    }

    /** Where {@code program} is, for the attacker to run; skips the test (fails it under CI) without it. */
    public static String program(String program) {
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

    /** The command line that runs {@code cmd} as nobody, with no supplementary groups. */
    public static List<String> as(List<String> cmd) {
        List<String> all = new ArrayList<>(
                List.of(Prerequisite.SETPRIV.require(), "--reuid=nobody", "--regid=nogroup", "--clear-groups"));
        all.addAll(cmd);
        return all;
    }

    /** Runs {@code cmd} as nobody to its end (at most 30 s), with no input. */
    public static Result run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(as(List.of(cmd)))
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getInputStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS))
                throw new AssertionError("as nobody: " + cmd[0] + " did not finish in 30 s");
            return new Result(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }

    /** Starts attack script {@code name} of {@link #SCRIPTS} with {@code args} and waits until it prints "ready". */
    public Process script(String name, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(
                List.of(program("python3"), SCRIPTS.resolve(name).toString()));
        cmd.addAll(List.of(args));
        return start(cmd, Map.of());
    }

    /** Starts {@code cmd} as nobody and waits (at most 20 s) until it prints "ready" on stdout. */
    public Process start(List<String> cmd, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(as(cmd))
                .redirectError(dir.resolve("stderr.txt").toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        started.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        try {
            String line = first.get(20, TimeUnit.SECONDS);
            if (!"ready".equals(line)) throw new AssertionError("the attacker's " + cmd + " did not start: " + line);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("the attacker's " + cmd + " did not say ready within 20 s", e);
        }
        return p;
    }

    /** Kills every attacker this instance started, with their children. */
    @Override
    public void close() {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }
}
