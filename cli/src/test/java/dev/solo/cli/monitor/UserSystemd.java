package dev.solo.cli.monitor;

import dev.solo.testing.Prerequisite;
import dev.solo.testing.Programs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.opentest4j.TestAbortedException;

/**
 * A private, real systemd user manager ({@code systemd --user}) for one test, with its own runtime and
 * configuration directories under the test's temporary directory, so that {@code systemctl --user} run
 * with {@link #environment()} talks to it and to nothing else.
 *
 * <p>Where it can run: Linux, as root, in a container whose init is not systemd (CI's and this project's
 * machines), with {@code unshare}. There {@code user-systemd.sh} puts it in cgroups of its own and binds
 * an empty directory over {@code /run/systemd} in a mount namespace of its own (systemd refuses to run a
 * user manager on a machine not booted with it). On a machine booted with systemd the test does not
 * start a second manager beside yours; anywhere else it is skipped with what was missing. {@link
 * #close()} ends the manager (which stops its units), kills what is left in its cgroups and removes them.
 */
final class UserSystemd implements AutoCloseable {
    private static final long READY_SECONDS = 30;

    private final Process process;
    private final String cgroup;
    private final Map<String, String> env;
    private final Path output;

    private UserSystemd(Process process, String cgroup, Map<String, String> env, Path output) {
        this.process = process;
        this.cgroup = cgroup;
        this.env = env;
        this.output = output;
    }

    /** Starts one in {@code dir}, or aborts the test (skipped, "not on this machine") saying why it cannot. */
    static UserSystemd start(Path dir) throws IOException, InterruptedException {
        String systemd = Stream.of("/lib/systemd/systemd", "/usr/lib/systemd/systemd")
                .filter(p -> Files.isExecutable(Path.of(p)))
                .findFirst()
                .orElseThrow(() -> skip("no systemd binary (/lib/systemd/systemd); install the systemd package"));
        for (String program : List.of("systemctl", "unshare", "mount")) {
            if (Programs.find(program).isEmpty()) throw skip("no '" + program + "' on PATH");
        }
        if (!System.getProperty("os.name", "").startsWith("Linux")) throw skip("not Linux");
        if (!Files.readString(Path.of("/proc/self/status")).matches("(?s).*\nUid:\\s+0\\s.*")) {
            throw skip("not root: a private user manager needs a mount namespace and a cgroup of its own");
        }
        if (Files.isDirectory(Path.of("/run/systemd/system"))) {
            throw skip("this machine was booted with systemd: the test starts its own user manager only where"
                    + " none runs (a container), so as never to touch yours");
        }
        Path runtime = Files.createDirectories(dir.resolve("xdg-runtime"));
        Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwx------"));
        Path config = Files.createDirectories(dir.resolve("xdg-config"));
        Path home = Files.createDirectories(dir.resolve("manager-home"));
        Path fakeRun = Files.createDirectories(dir.resolve("run-systemd"));
        Path script = dir.resolve("user-systemd.sh");
        try (InputStream in = UserSystemd.class.getResourceAsStream("user-systemd.sh")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        String cgroup = "solo-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Path output = dir.resolve("user-systemd.out");
        ProcessBuilder pb = new ProcessBuilder("sh", script.toString(), cgroup, fakeRun.toString(), systemd)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Map<String, String> env = Map.of(
                "XDG_RUNTIME_DIR", runtime.toString(),
                "XDG_CONFIG_HOME", config.toString(),
                "HOME", home.toString());
        pb.environment().putAll(env);
        UserSystemd manager = new UserSystemd(pb.start(), cgroup, env, output);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_SECONDS);
        while (!manager.systemctl("show-environment").ok()) {
            if (!manager.process.isAlive() || System.nanoTime() - deadline > 0) {
                String said = Files.readString(output).strip();
                manager.close();
                throw skip("a private 'systemd --user' did not come up within " + READY_SECONDS + " s ("
                        + (said.isEmpty() ? "no output" : said) + ")");
            }
            manager.process.waitFor(100, TimeUnit.MILLISECONDS); // back-off, ends early if it dies
        }
        return manager;
    }

    private static TestAbortedException skip(String why) {
        return new TestAbortedException(Prerequisite.NOT_HERE + "no systemd user manager for the service tests: " + why
                + ". The unit files are still checked by systemd-analyze (SystemdUnitsTest).");
    }

    /** {@code XDG_RUNTIME_DIR}, {@code XDG_CONFIG_HOME} and {@code HOME} of the manager: give them to solo. */
    Map<String, String> environment() {
        return env;
    }

    /** Where its units are read from: {@code $XDG_CONFIG_HOME/systemd/user}. */
    Path unitDir() {
        return Path.of(env.get("XDG_CONFIG_HOME"), "systemd", "user");
    }

    record Result(int code, String text) {
        boolean ok() {
            return code == 0;
        }
    }

    /** {@code systemctl --user <args>} against this manager. */
    Result systemctl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("systemctl", "--user"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, "systemctl " + String.join(" ", args) + " hung");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
    }

    /** The main pid of {@code unit}, if it runs. */
    Optional<Long> mainPid(String unit) throws IOException, InterruptedException {
        Result r = systemctl("show", "-p", "MainPID", "--value", unit);
        long pid = r.ok() ? Long.parseLong(r.text().strip()) : 0;
        return pid > 0 ? Optional.of(pid) : Optional.empty();
    }

    String output() throws IOException {
        return Files.readString(output);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy(); // SIGTERM: the manager stops its units and exits
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        removeCgroups();
    }

    /** Every {@code <hierarchy>/<cgroup>} tree, deepest first: what is left in it is ours, killed; then removed. */
    private void removeCgroups() throws IOException {
        List<Path> roots = new ArrayList<>();
        Path base = Path.of("/sys/fs/cgroup");
        roots.add(base.resolve(cgroup));
        try (Stream<Path> hierarchies = Files.list(base)) {
            hierarchies.filter(Files::isDirectory).forEach(h -> roots.add(h.resolve(cgroup)));
        }
        for (Path root : roots) {
            if (!Files.isDirectory(root)) continue;
            List<Path> dirs;
            try (Stream<Path> walk = Files.walk(root)) {
                dirs = walk.filter(Files::isDirectory)
                        .sorted(Comparator.comparingInt(Path::getNameCount).reversed())
                        .toList();
            }
            for (Path d : dirs) {
                for (int attempt = 0; attempt < 10 && Files.isDirectory(d); attempt++) {
                    for (String pid : Files.readAllLines(d.resolve("cgroup.procs"))) {
                        if (pid.isBlank()) continue;
                        Optional<ProcessHandle> left = ProcessHandle.of(Long.parseLong(pid.strip()));
                        left.ifPresent(ProcessHandle::destroyForcibly);
                        left.ifPresent(UserSystemd::awaitExit);
                    }
                    try {
                        Files.delete(d);
                    } catch (IOException busy) {
                        // a process that just forked or exited: read the cgroup again
                    }
                }
            }
        }
    }

    private static void awaitExit(ProcessHandle p) {
        try {
            p.onExit().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // still there: the next attempt kills it again
        }
    }
}
