package dev.solo.cli.launcher;

import dev.solo.testing.Finished;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().remove("DISPLAY");
        pb.environment().putAll(env);
        Finished f = Finished.run(pb, Duration.ofSeconds(60), launcher + " " + List.of(args));
        return new Launch(f.exit(), f.out(), f.err());
    }
}
