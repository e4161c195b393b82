package dev.solo.cli.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.core.InstanceRecord;
import dev.solo.core.Registry;
import dev.solo.testing.Ports;
import dev.solo.testing.Prerequisite;
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
 * The launcher on a JDK 24 or later ({@link Prerequisite#JDK_AOT}; skipped, and listed in the build's
 * summary, where there is none): on a copy of the launcher and this build's jar, its first run records two
 * ahead-of-time caches in place of the two CDS archives, later runs map them, a rebuilt jar gets new ones,
 * and the JDK 17 that runs these tests, taking turns with it on the same installation, gets its CDS
 * archives and leaves the caches alone; never a word about any of it on stdout. Every JVM prints its
 * system properties on stderr ({@code JDK_JAVA_OPTIONS=-XshowSettings:properties}): {@code solo.archive}
 * names what the lean JVM was given, {@code java.vm.info} says whether it mapped it.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LauncherAotIT {
    @TempDir
    Path dir;

    Path launcher;
    Path target;
    Map<String, String> env;
    String aotJdk;
    int port;

    @BeforeEach
    void install() throws Exception {
        aotJdk = Prerequisite.JDK_AOT.require();
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
        env.put("JDK_JAVA_OPTIONS", "-XshowSettings:properties");
    }

    @AfterEach
    void killMonitors() {
        for (InstanceRecord r : Registry.at(Path.of(env.get("SOLO_HOME"))).records()) {
            ProcessHandle.of(r.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void cachesAreRecordedUsedRemadeForARebuiltJarAndLeftToTheirJdk() throws Exception {
        String notRunning = "solo monitor is not running on port " + port + ".\n";
        Path general = target.resolve("solo.aot");
        Path lean = target.resolve("solo-lean.aot");

        Launch first = solo(aotJdk, "monitor", "status");
        assertThat(first.exit()).as(first.err()).isEqualTo(3);
        assertThat(first.out()).isEqualTo(notRunning);
        assertThat(general).isRegularFile();
        assertThat(lean).isRegularFile();
        assertThat(target.resolve("solo.jsa"))
                .as("no CDS archive beside the caches")
                .doesNotExist();
        assertThat(target.resolve("solo-lean.jsa")).doesNotExist();
        assertThat(Files.readString(target.resolve("solo-lean.aot.jar"))).isEqualTo(jar().toString());
        assertThat(target.resolve("solo-lean.aot.java")).isSymbolicLink();
        assertThat(Files.isSameFile(target.resolve("solo-lean.aot.java"), Path.of(aotJdk, "bin/java")))
                .isTrue();
        try (var left = Files.list(target)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .as("no configuration or half-written cache is left")
                    .noneMatch(n -> n.contains(".conf") || n.matches(".*\\.aot\\.\\d+"));
        }
        assertThat(first.err()).contains("solo.archive = " + lean + "\n");
        FileTime made = Files.getLastModifiedTime(lean);

        Launch second = solo(aotJdk, "monitor", "status");
        assertThat(second.out()).isEqualTo(notRunning);
        assertThat(second.err())
                .as("the lean JVM mapped the cache")
                .contains("solo.archive = " + lean + "\n")
                .contains("java.vm.info = mixed mode, sharing\n");
        assertThat(Files.getLastModifiedTime(lean)).as("reused, not made again").isEqualTo(made);
        Launch general25 = solo(aotJdk, "--version");
        assertThat(general25.out()).contains("Java 2");
        assertThat(general25.err())
                .contains("sharing\n")
                .doesNotContain("[aot]")
                .doesNotContain("[cds]");

        // The JDK 17 running this test, on the same installation: it cannot take a cache, so it makes and
        // uses its CDS archives; the caches stay for the JDK that made them.
        Launch old = solo(System.getProperty("java.home"), "monitor", "status");
        assertThat(old.exit()).as(old.err()).isEqualTo(3);
        assertThat(old.out()).isEqualTo(notRunning);
        assertThat(old.err())
                .contains("solo.archive = " + target.resolve("solo-lean.jsa") + "\n")
                .doesNotContain("Unrecognized VM option");
        assertThat(target.resolve("solo.aot.none"))
                .as("the JDK that makes none is remembered")
                .isSymbolicLink();
        assertThat(Files.getLastModifiedTime(lean))
                .as("another JDK's caches are left alone")
                .isEqualTo(made);
        Launch back = solo(aotJdk, "monitor", "status");
        assertThat(back.err()).contains("solo.archive = " + lean + "\n").contains("mixed mode, sharing\n");
        assertThat(Files.getLastModifiedTime(lean)).isEqualTo(made);

        // A rebuilt jar (newer than its caches): this JDK maps a stale cache without a word, and would run
        // the old classes, so the launcher records new ones first, saying nothing on stdout.
        FileTime hourAgo = FileTime.fromMillis(System.currentTimeMillis() - TimeUnit.HOURS.toMillis(1));
        Files.setLastModifiedTime(general, hourAgo);
        Files.setLastModifiedTime(lean, hourAgo);
        Files.setLastModifiedTime(jar(), FileTime.fromMillis(System.currentTimeMillis()));
        Launch rebuilt = solo(aotJdk, "monitor", "status");
        assertThat(rebuilt.exit()).as(rebuilt.err()).isEqualTo(3);
        assertThat(rebuilt.out()).as("nothing about the caches on stdout").isEqualTo(notRunning);
        assertThat(Files.getLastModifiedTime(lean)).as("made again").isGreaterThan(hourAgo);
        assertThat(Files.getLastModifiedTime(general)).isGreaterThan(hourAgo);
        assertThat(Files.getLastModifiedTime(lean).toMillis())
                .isGreaterThanOrEqualTo(Files.getLastModifiedTime(jar()).toMillis());
        assertThat(rebuilt.err()).contains("solo.archive = " + lean + "\n").contains("mixed mode, sharing\n");
    }

    private Path jar() {
        return target.resolve("solo.jar");
    }

    private Launch solo(String javaHome, String... args) throws Exception {
        Map<String, String> e = new HashMap<>(env);
        e.put("JAVA_HOME", javaHome);
        return Launch.run(launcher, dir, e, args);
    }
}
