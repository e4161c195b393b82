package dev.solo.cli.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.core.InstanceRecord;
import dev.solo.core.Registry;
import dev.solo.testing.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's two class-data-sharing archives on a copy of the launcher and this build's jar, as a
 * user installs them: the first run makes both next to the jar and leaves nothing else there, later runs
 * reuse them, and a lean archive this JVM cannot map (here a damaged file; a JDK upgraded in place does
 * the same) is removed by the lean JVM that finds itself without class-data sharing, and made again by
 * the next run, with nothing printed about it on stdout (which scripts read). (A newer JDK than the one
 * that made the archives warns about their format on stdout; the launcher's {@code -Xlog:cds*=off} keeps
 * that off, which was checked by hand with JDK 25: docs/benchmarks.md, "Round 4 (thin clients)".)
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LauncherArchiveIT {
    @TempDir
    Path dir;

    Path launcher;
    Path target;
    Map<String, String> env;
    int port;

    @BeforeEach
    void install() throws Exception {
        target = Files.createDirectories(dir.resolve("install/cli/target"));
        launcher = Files.copy(LauncherIT.LAUNCHER, dir.resolve("install/solo"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(LauncherIT.LAUNCHER.resolveSibling("cli/target/solo.jar"), target.resolve("solo.jar"));
        port = Ports.free();
        env = new HashMap<>();
        env.put("SOLO_NO_BUILD", "1");
        env.put("SOLO_HOME", Files.createDirectories(dir.resolve("state")).toString());
        env.put("HOME", Files.createDirectories(dir.resolve("home")).toString());
        env.put("SOLO_MONITOR_PORT", Integer.toString(port));
        env.put("SOLO_NO_BROWSER", "1");
    }

    @AfterEach
    void killMonitors() {
        for (InstanceRecord r : Registry.at(Path.of(env.get("SOLO_HOME"))).records()) {
            ProcessHandle.of(r.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void theFirstRunMakesBothArchivesAndArchivesThatDoNotFitAreIgnoredQuietly() throws Exception {
        Launch first = solo("monitor", "status");
        assertThat(first.exit()).as(first.err()).isEqualTo(3);
        assertThat(first.out()).isEqualTo("solo monitor is not running on port " + port + ".\n");
        Path general = target.resolve("solo.jsa");
        Path lean = target.resolve("solo-lean.jsa");
        assertThat(general).isRegularFile();
        assertThat(lean).isRegularFile();
        assertThat(Files.readString(target.resolve("solo-lean.jsa.jar")))
                .isEqualTo(target.resolve("solo.jar").toString());
        try (var left = Files.list(target)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .as("no class list or half-written archive is left")
                    .noneMatch(n -> n.contains(".classlist") || n.matches("solo-lean\\.jsa\\.\\d+"));
        }
        FileTime made = Files.getLastModifiedTime(lean);

        Launch second = solo("monitor", "status");
        assertThat(second.out()).isEqualTo(first.out());
        assertThat(Files.getLastModifiedTime(lean)).as("reused, not made again").isEqualTo(made);

        // A lean archive this JVM cannot map (a damaged file here; a JDK upgraded in place since it was
        // made does the same), older than the jar's last build by nothing but older than ten minutes.
        Path jar = target.resolve("solo.jar");
        FileTime hoursAgo = FileTime.fromMillis(System.currentTimeMillis() - TimeUnit.HOURS.toMillis(2));
        FileTime hourAgo = FileTime.fromMillis(System.currentTimeMillis() - TimeUnit.HOURS.toMillis(1));
        lean.toFile().setWritable(true);
        Files.writeString(lean, "not an archive of this JVM");
        Files.setLastModifiedTime(jar, hoursAgo);
        Files.setLastModifiedTime(general, hourAgo);
        Files.setLastModifiedTime(lean, hourAgo);
        env.put("JDK_JAVA_OPTIONS", "-XshowSettings:properties");
        Launch unmapped = solo("monitor", "status");
        assertThat(unmapped.exit()).as(unmapped.err()).isEqualTo(3);
        assertThat(unmapped.out()).as("nothing about the archive on stdout").isEqualTo(first.out());
        assertThat(unmapped.err()).contains("java.vm.info = mixed mode\n").doesNotContain("[cds]");
        assertThat(lean).as("removed by the JVM that could not map it").doesNotExist();
        assertThat(target.resolve("solo-lean.jsa.jar")).doesNotExist();

        Launch remade = solo("monitor", "status");
        assertThat(remade.out()).isEqualTo(first.out());
        assertThat(lean).isRegularFile();
        assertThat(remade.err()).contains("java.vm.info = mixed mode, sharing");
    }

    private Launch solo(String... args) throws Exception {
        return Launch.run(launcher, dir, env, args);
    }
}
