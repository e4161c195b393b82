package dev.solo.cli.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.core.InstanceRecord;
import dev.solo.core.Registry;
import dev.solo.testing.Ports;
import dev.solo.testing.Prerequisite;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher on a JDK 25 or later ({@link Prerequisite#JDK_AOT}; skipped, and listed in the build's
 * summary, where there is none), as a user runs it with {@code JAVA_HOME} set to one: a copy of the
 * launcher and this build's jar makes its two class-data-sharing archives with that JDK on its first run
 * (that JDK's ahead-of-time caches measured no better for the clients: docs/benchmarks.md, "The thin
 * clients on JDK 25"), the lean JVM maps its archive, later runs reuse them, a rebuilt jar gets new ones,
 * and nothing about any of it reaches stdout, which scripts read. Every JVM prints its system properties
 * on stderr ({@code JDK_JAVA_OPTIONS=-XshowSettings:properties}): {@code solo.archive} names what the
 * lean JVM was given, {@code java.vm.info} says whether it mapped it.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LauncherNewerJdkIT {
    @TempDir
    Path dir;

    Path launcher;
    Path target;
    Map<String, String> env;
    int port;

    @BeforeEach
    void install() throws Exception {
        String jdk = Prerequisite.JDK_AOT.require();
        target = Files.createDirectories(dir.resolve("install/cli/target"));
        launcher = Files.copy(LauncherIT.LAUNCHER, dir.resolve("install/solo"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(LauncherIT.LAUNCHER.resolveSibling("cli/target/solo.jar"), target.resolve("solo.jar"));
        port = Ports.free();
        env = new HashMap<>();
        env.put("JAVA_HOME", jdk);
        env.put("SOLO_NO_BUILD", "1");
        env.put("SOLO_HOME", Files.createDirectories(dir.resolve("state")).toString());
        env.put("HOME", Files.createDirectories(dir.resolve("home")).toString());
        env.put("SOLO_MONITOR_PORT", Integer.toString(port));
        env.put("SOLO_NO_BROWSER", "1");
        env.put("JDK_JAVA_OPTIONS", "-XshowSettings:properties");
    }

    @AfterEach
    void killMonitors() {
        if (env == null) return; // skipped before the installation
        for (InstanceRecord r : Registry.at(Path.of(env.get("SOLO_HOME"))).records()) {
            ProcessHandle.of(r.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void archivesAreMadeForThatJdkMappedAndMadeAgainForARebuiltJar() throws Exception {
        String notRunning = "solo monitor is not running on port " + port + ".\n";
        Path general = target.resolve("solo.jsa");
        Path lean = target.resolve("solo-lean.jsa");
        String mapped = "java.vm.info = mixed mode, sharing\n";

        Launch first = solo("monitor", "status");
        assertThat(first.exit()).as(first.err()).isEqualTo(3);
        assertThat(first.out()).isEqualTo(notRunning);
        assertThat(general).isRegularFile();
        assertThat(lean).isRegularFile();
        assertThat(first.err()).contains("solo.archive = " + lean + "\n").doesNotContain("[cds]");
        FileTime made = Files.getLastModifiedTime(lean);

        Launch second = solo("monitor", "status");
        assertThat(second.out()).isEqualTo(notRunning);
        assertThat(second.err()).as("the lean JVM mapped its archive").contains(mapped);
        assertThat(Files.getLastModifiedTime(lean)).as("reused, not made again").isEqualTo(made);
        Launch version = solo("--version");
        assertThat(version.out()).contains("Java 2");
        assertThat(version.err()).contains("sharing\n").doesNotContain("[cds]");

        // A rebuilt jar, newer than its archives: new ones are made first, and stdout says nothing of it.
        FileTime hourAgo = FileTime.fromMillis(System.currentTimeMillis() - TimeUnit.HOURS.toMillis(1));
        for (Path a : new Path[] {general, lean}) {
            a.toFile().setWritable(true);
            Files.setLastModifiedTime(a, hourAgo);
        }
        Files.setLastModifiedTime(target.resolve("solo.jar"), FileTime.fromMillis(System.currentTimeMillis()));
        Launch rebuilt = solo("monitor", "status");
        assertThat(rebuilt.exit()).as(rebuilt.err()).isEqualTo(3);
        assertThat(rebuilt.out()).as("nothing about the archives on stdout").isEqualTo(notRunning);
        assertThat(Files.getLastModifiedTime(lean)).as("made again").isGreaterThan(hourAgo);
        assertThat(Files.getLastModifiedTime(general)).isGreaterThan(hourAgo);
        assertThat(rebuilt.err()).contains(mapped).doesNotContain("[cds]");
    }

    /**
     * Native code in the launcher's full JVM (Tesseract for {@code solo ocr}, as SQLite for {@code solo monitor
     * --foreground}) draws none of the four WARNING lines JDK 24+ writes for a library loaded without native
     * access: the user sees only solo's own answer, as on JDK 17.
     */
    @Test
    void nativeCodeInTheFullJvmDrawsNoWarning() throws Exception {
        Path png = dir.resolve("blank.png");
        ImageIO.write(new BufferedImage(200, 40, BufferedImage.TYPE_INT_RGB), "png", png.toFile());
        // the native libraries extracted once for every test of the module (as the OCR tests' children do)
        Path cache = LauncherIT.LAUNCHER.resolveSibling("cli/target/javacpp-cache");
        env.put("JDK_JAVA_OPTIONS", "-Dorg.bytedeco.javacpp.cachedir=" + cache);

        Launch ocr = solo("ocr", "--file", png.toString());
        assertThat(ocr.err())
                .as("exit %d, stdout %s", ocr.exit(), ocr.out())
                .contains("no text detected")
                .doesNotContain("WARNING");
    }

    private Launch solo(String... args) throws Exception {
        return Launch.run(launcher, dir, env, args);
    }
}
