package dev.solo.cli.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of a {@code solo} launcher as a user starts it: the script itself (its {@code #!} line picks the
 * shell), from a directory of the test's, with this JDK as {@code JAVA_HOME}, stdin closed, at most 60 s.
 *
 * @param exit the launcher's exit code
 * @param out what it printed on stdout
 * @param err what it printed on stderr
 */
record Launch(int exit, String out, String err) {
    /** Runs {@code launcher args} in {@code cwd} with {@code env} added to this process's environment. */
    static Launch run(Path launcher, Path cwd, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(cwd, "out-", ".txt");
        Path err = Files.createTempFile(cwd, "err-", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(cwd.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().remove("DISPLAY");
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException(launcher + " " + List.of(args) + " did not finish within 60 s");
            }
            return new Launch(
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
