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

    /**
     * From a directory deleted under the shell, 'hooks install --scope project' once wrote into the solo
     * checkout: the launcher went back to an empty PWD, which left java in the checkout.
     */
    @Test
    void fromADeletedDirectoryItRefusesAndWritesNothingInTheCheckout() throws Exception {
        Path checkoutHooks = LAUNCHER.resolveSibling(".claude");
        boolean there = Files.exists(checkoutHooks);
        Path gone = dir.resolve("gone");
        ProcessBuilder pb = new ProcessBuilder(
                        "sh",
                        "-c",
                        "mkdir \"$1\" && cd \"$1\" && rmdir \"$1\" && exec \"$0\" monitor hooks install --scope project"
                                + " --port " + dev.solo.testing.Ports.free(),
                        LAUNCHER.toString(),
                        gone.toString())
                .directory(dir.toFile())
                .redirectErrorStream(true);
        pb.environment().put("SOLO_NO_BUILD", "1");
        pb.environment().put("HOME", dir.resolve("home").toString());
        pb.environment().put("SOLO_HOME", dir.resolve("state").toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("CLAUDE_CONFIG_DIR");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
            assertThat(p.exitValue()).as(out).isEqualTo(1);
            assertThat(out).contains("solo: the current directory no longer exists; cd to one that does");
            assertThat(Files.exists(checkoutHooks))
                    .as("hooks written into the checkout")
                    .isEqualTo(there);
            assertThat(dir.resolve("state")).doesNotExist();
        } finally {
            if (!there && Files.exists(checkoutHooks)) { // the defect: clean the checkout up after it
                try (var files = Files.list(checkoutHooks)) {
                    for (Path f : files.toList()) Files.delete(f);
                }
                Files.delete(checkoutHooks);
            }
        }
    }
}
