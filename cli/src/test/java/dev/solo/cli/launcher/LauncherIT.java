package dev.solo.cli.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.testing.TestEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code solo} launcher as a user installs it: through a symlink in their own {@code bin}
 * directory, started from some other directory. It must find its checkout and the jar this build made
 * ({@code SOLO_NO_BUILD=1}: the test runs the jar, it never starts a nested build).
 */
class LauncherIT {
    static final Path LAUNCHER = TestEnvironment.moduleDir().resolveSibling("solo");

    @TempDir
    Path dir;

    @Test
    void runsThroughASymlinkFromAnotherDirectory() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("home/bin"));
        Path link = Files.createSymbolicLink(bin.resolve("solo"), LAUNCHER);
        assertVersion(link);
    }

    @Test
    void runsThroughASymlinkToASymlinkWithARelativeTarget() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("home/bin"));
        Path opt = Files.createDirectories(dir.resolve("opt"));
        Path first = Files.createSymbolicLink(opt.resolve("solo"), LAUNCHER);
        Path relative = Files.createSymbolicLink(bin.resolve("solo"), bin.relativize(first));
        assertVersion(relative);
    }

    private void assertVersion(Path launcher) throws Exception {
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "--version") // its #! line picks the shell
                .directory(elsewhere.toFile())
                .redirectErrorStream(true);
        pb.environment().put("SOLO_NO_BUILD", "1");
        pb.environment().put("HOME", dir.resolve("home").toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS))
                .as("exited; output: %s", out)
                .isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).as("started through %s", launcher).startsWith("solo ").contains("Java ");
    }
}
