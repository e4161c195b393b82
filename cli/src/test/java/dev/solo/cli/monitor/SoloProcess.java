package dev.solo.cli.monitor;

import dev.solo.testing.Children;
import dev.solo.testing.Ports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code solo} jar in a child JVM with its own state directory ({@code SOLO_HOME}) and its
 * own home ({@code HOME} is {@code <soloHome>/user}); no browser.
 */
final class SoloProcess {
    static final Path JAR = Path.of("target", "solo.jar").toAbsolutePath();

    record Result(int exit, String out, String err) {}

    private SoloProcess() {}

    static Result run(Path soloHome, Map<String, String> env, List<String> jvm, String... args)
            throws IOException, InterruptedException {
        if (!Files.exists(JAR)) throw new IllegalStateException(JAR + " is missing; run ./mvnw -pl cli package first");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The JVM takes user.home from the password database, not from HOME: set both (a -D in jvm wins).
        cmd.add("-Duser.home=" + soloHome.resolve("user"));
        cmd.addAll(jvm);
        cmd.add("-jar");
        cmd.add(JAR.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Children.isolate(pb.environment(), soloHome);
        pb.environment().put("SOLO_HOME", soloHome.toString());
        pb.environment().put("SOLO_NO_BROWSER", "1");
        pb.environment().remove("SOLO_MONITOR_PORT");
        pb.environment().putAll(env);
        Path out = Files.createTempFile("solo-out", ".txt");
        Path err = Files.createTempFile("solo-err", ".txt");
        pb.redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process p = pb.start();
        try {
            if (!p.waitFor(50, TimeUnit.SECONDS))
                throw new IllegalStateException("solo " + String.join(" ", args) + " hung");
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

    /** A free loopback port below the ephemeral range, never one of solo's defaults. */
    static int freePort() {
        return Ports.free();
    }
}
