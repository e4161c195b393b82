package dev.solo.cli.monitor;

import dev.solo.core.InstanceRecord;
import dev.solo.core.Registry;
import dev.solo.testing.Children;
import dev.solo.testing.Finished;
import dev.solo.testing.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the real {@code solo} jar in a child JVM with its own state directory ({@code SOLO_HOME}), its
 * own home ({@code HOME} is {@code <soloHome>/user}) and its own working directory ({@code
 * <soloHome>/cwd}), so nothing it writes (user- or project-scope hooks) lands in the real home or in the
 * repository; no browser.
 */
final class SoloProcess {
    static final Path JAR = Path.of("target", "solo.jar").toAbsolutePath();

    record Result(int exit, String out, String err) {}

    private SoloProcess() {}

    static Result run(Path soloHome, Map<String, String> env, List<String> jvm, String... args)
            throws IOException, InterruptedException {
        return runIn(beside(soloHome, "cwd"), soloHome, env, jvm, args);
    }

    /** As {@link #run}, in the working directory {@code cwd} (project-scope hooks go there). */
    static Result runIn(Path cwd, Path soloHome, Map<String, String> env, List<String> jvm, String... args)
            throws IOException, InterruptedException {
        ProcessBuilder pb = builder(cwd, soloHome, env, jvm, args);
        Finished f = Finished.run(pb, Duration.ofSeconds(50), "solo " + String.join(" ", args));
        return new Result(f.exit(), f.out(), f.err());
    }

    /**
     * As {@link #runIn}, without waiting: {@code solo} runs until the caller ends it (kill it in the test's
     * tear-down). Output and errors go to {@code log}.
     */
    static Process startIn(Path cwd, Path soloHome, Map<String, String> env, Path log, String... args)
            throws IOException {
        return builder(cwd, soloHome, env, List.of(), args)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
    }

    private static ProcessBuilder builder(
            Path cwd, Path soloHome, Map<String, String> env, List<String> jvm, String... args) throws IOException {
        if (!Files.exists(JAR)) throw new IllegalStateException(JAR + " is missing; run ./mvnw -pl cli package first");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The JVM takes user.home from the password database, not from HOME: set both (a -D in jvm wins).
        cmd.add("-Duser.home=" + soloHome.resolve("user"));
        cmd.addAll(jvm);
        cmd.add("-jar");
        cmd.add(JAR.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().put("SOLO_HOME", soloHome.toString());
        pb.environment().put("HOME", userHome(soloHome).toString()); // as Children.isolate, where it can
        pb.environment().put("SOLO_NO_BROWSER", "1");
        pb.environment().remove("SOLO_MONITOR_PORT");
        pb.environment().remove("CLAUDE_CONFIG_DIR");
        pb.environment().remove("BROWSER");
        pb.environment().putAll(env);
        return pb;
    }

    /** Whether nothing listens on {@code port} of 127.0.0.1 (a bind succeeds). */
    static boolean freePortStillFree(int port) {
        try (var s = new java.net.ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * An environment whose PATH finds no {@code claude}, so {@code hooks install} uses the event set
     * documented for Claude Code 2.1.x whatever this machine has installed.
     */
    static Map<String, String> noClaude(Path soloHome) throws IOException {
        return Map.of("PATH", beside(soloHome, "empty-path").toString());
    }

    /** The {@code HOME} the children of {@code soloHome} get: {@code <soloHome>/user}, as {@link Children#isolate}. */
    static Path userHome(Path soloHome) throws IOException {
        return beside(soloHome, "user");
    }

    /** {@code <soloHome>/<name>}; a temporary directory where that cannot be made (tests of a bad state dir). */
    private static Path beside(Path soloHome, String name) throws IOException {
        try {
            return Files.createDirectories(soloHome.resolve(name));
        } catch (IOException cannot) {
            return Files.createTempDirectory("solo-" + name);
        }
    }

    /** Kills every resident recorded under state directory {@code home}: a test's own, left by a failure. */
    static void killResidents(Path home) {
        for (InstanceRecord r : Registry.at(home).records()) {
            ProcessHandle.of(r.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** A free loopback port below the ephemeral range, never one of solo's defaults. */
    static int freePort() {
        return Ports.free();
    }
}
