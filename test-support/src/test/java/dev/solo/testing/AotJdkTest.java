package dev.solo.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link AotJdk}: which JDK the tests of solo on a newer JDK get, on fake JDK homes (a release file, a java). */
@Timeout(30)
class AotJdkTest {
    @TempDir
    Path dir;

    @Test
    void theNewestUnderTheFolderIsFoundWhenNoneIsNamedAndTheRunningOneIsOlder() throws Exception {
        Path jvms = Files.createDirectory(dir.resolve("jvm"));
        Path running = jdk(jvms.resolve("java-17"), "17.0.15");
        jdk(jvms.resolve("jdk-25"), "25.0.1");
        Path newest = jdk(jvms.resolve("jdk-26"), "26");
        jdk(jvms.resolve("jdk-27-no-java"), "27").resolve("bin/java").toFile().delete();
        Files.createDirectories(jvms.resolve("not-a-jdk"));

        assertThat(AotJdk.locate(null, running, jvms)).contains(newest);
        assertThat(AotJdk.locate(" ", running, jvms)).contains(newest);
        assertThat(AotJdk.locate(null, running, dir.resolve("absent"))).isEmpty();
    }

    @Test
    void theRunningJdkIsTakenWhenItIsNewEnough() throws Exception {
        Path jvms = Files.createDirectory(dir.resolve("jvm"));
        jdk(jvms.resolve("jdk-26"), "26");
        Path running = jdk(dir.resolve("sdkman/25.0.1-tem"), "25.0.1");

        assertThat(AotJdk.locate(null, running, jvms)).contains(running);
    }

    @Test
    void aNamedJdkIsTakenByItsHomeOrItsJavaAndAnOlderOneIsNotReplaced() throws Exception {
        Path jvms = Files.createDirectory(dir.resolve("jvm"));
        Path other = jdk(jvms.resolve("jdk-25"), "25");
        Path named = jdk(dir.resolve("mine"), "25.0.2");
        Path old = jdk(dir.resolve("old"), "24.0.1");

        assertThat(AotJdk.locate(named.toString(), old, jvms)).contains(named);
        assertThat(AotJdk.locate(named.resolve("bin/java").toString(), old, jvms))
                .contains(named);
        // named, but too old: skipped with the reason rather than run on another JDK than the one asked for
        assertThat(AotJdk.locate(old.toString(), old, jvms)).isEmpty();
        assertThat(AotJdk.locate(dir.resolve("nowhere").toString(), other, jvms))
                .isEmpty();
    }

    @Test
    void aReleaseFileWithoutAVersionIsNoJdk() throws Exception {
        Path home = jdk(dir.resolve("odd"), "25");
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"nobody\"\n");
        assertThat(AotJdk.feature(home)).isZero();
        Files.delete(home.resolve("release"));
        assertThat(AotJdk.feature(home)).isZero();
        assertThat(AotJdk.feature(jdk(dir.resolve("ea"), "26-ea"))).isEqualTo(26);
    }

    private static Path jdk(Path home, String version) throws Exception {
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(
                home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\nOS_NAME=\"Linux\"\n");
        return home;
    }
}
