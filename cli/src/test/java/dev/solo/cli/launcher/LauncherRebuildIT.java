package dev.solo.cli.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.solo.testing.Prerequisite;
import dev.solo.testing.Requires;
import dev.solo.testing.TestEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's rule for a developer's checkout, without a process per run: it rebuilds when a POM or
 * any file under a module's {@code src/main} is newer than the jar (an edit deep in a package, a deleted
 * file, a POM), and only then. The checkout is a copy of the launcher and of this build's jar beside a
 * small source tree, whose {@code mvnw} records that it was asked to build and touches the jar (the
 * launcher's decision is under test, not Maven). Times are set explicitly, so the order of events never
 * depends on the file system's time resolution.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LauncherRebuildIT {
    private static final Path JAR = TestEnvironment.targetDir().resolve("solo.jar");
    private static final long HOUR = TimeUnit.HOURS.toMillis(1);

    @TempDir
    Path dir;

    Path checkout;
    Path deep;
    long now;

    @BeforeEach
    void checkout() throws IOException {
        checkout = Files.createDirectories(dir.resolve("checkout"));
        Files.copy(LauncherIT.LAUNCHER, checkout.resolve("solo"), StandardCopyOption.COPY_ATTRIBUTES);
        Path mvnw = Files.writeString(
                checkout.resolve("mvnw"), "#!/bin/sh\necho \"$*\" >> builds.txt\ntouch cli/target/solo.jar\n");
        mvnw.toFile().setExecutable(true);
        now = System.currentTimeMillis();
        for (String m : new String[] {"core", "monitor", "ocr", "cli"}) {
            old(Files.writeString(Files.createDirectories(checkout.resolve(m)).resolve("pom.xml"), "<project/>\n"));
        }
        old(Files.writeString(checkout.resolve("pom.xml"), "<project/>\n"));
        deep = Files.createDirectories(checkout.resolve("core/src/main/java/dev/solo/core/internal"));
        old(Files.writeString(deep.resolve("Binder.java"), "class Binder {}\n"));
        old(Files.writeString(deep.resolve("Json.java"), "class Json {}\n"));
        old(Files.writeString(
                Files.createDirectories(checkout.resolve("cli/src/main/resources"))
                        .resolve("version.properties"),
                "v=1\n"));
        for (String m : new String[] {"core", "cli"}) {
            try (Stream<Path> tree = Files.walk(checkout.resolve(m + "/src/main"))) {
                for (Path p : (Iterable<Path>) tree::iterator) old(p);
            }
        }
        Files.copy(JAR, Files.createDirectories(checkout.resolve("cli/target")).resolve("solo.jar"));
        jarBuiltHalfAnHourAgo();
    }

    @Test
    void rebuildsAfterAnEditDeepInAPackageAndNotAgain() throws Exception {
        assertThat(version()).as("sources older than the jar").isEqualTo(0);

        Files.writeString(deep.resolve("Binder.java"), "class Binder { int edited; }\n");
        Files.setLastModifiedTime(deep.resolve("Binder.java"), FileTime.fromMillis(now - HOUR / 6));
        assertThat(version()).as("an edited source").isEqualTo(1);
        assertThat(version()).as("the jar the build touched is newer").isEqualTo(1);
    }

    @Test
    void rebuildsAfterADeletedSourceAndAnEditedPom() throws Exception {
        Files.delete(deep.resolve("Json.java")); // its directory's time is now: newer than the jar
        assertThat(version()).as("a deleted source").isEqualTo(1);

        jarBuiltHalfAnHourAgo();
        Files.setLastModifiedTime(deep, FileTime.fromMillis(now - HOUR));
        Files.setLastModifiedTime(checkout.resolve("ocr/pom.xml"), FileTime.fromMillis(now - HOUR / 6));
        assertThat(version()).as("an edited module POM").isEqualTo(2);
    }

    @Test
    void hiddenFilesAndSoloNoBuildStartNoBuild() throws Exception {
        Path swap = Files.writeString(deep.resolve(".Binder.java.swp"), "editor state\n");
        Files.setLastModifiedTime(swap, FileTime.fromMillis(now - HOUR / 6));
        Files.setLastModifiedTime(deep, FileTime.fromMillis(now - HOUR));
        assertThat(version()).as("an editor's hidden swap file").isEqualTo(0);

        Files.setLastModifiedTime(deep.resolve("Binder.java"), FileTime.fromMillis(now - HOUR / 6));
        Launch noBuild = Launch.run(checkout.resolve("solo"), dir, Map.of("SOLO_NO_BUILD", "1"), "--version");
        assertThat(noBuild.exit()).as(noBuild.err()).isZero();
        assertThat(builds()).as("SOLO_NO_BUILD=1 with a newer source").isEqualTo(0);
    }

    /**
     * Two launchers that find the jar out of date at once (two terminals after a pull): the second waits
     * for the first's build instead of running Maven in the same {@code target/} beside it, then finds the
     * jar built. The fake Maven holds its build open until the file {@code go} appears (at most 60 s), which
     * the test makes once the second launcher waits on the lock.
     */
    @Test
    @Requires(Prerequisite.FLOCK)
    void twoLaunchersThatFindTheJarOutOfDateBuildItOnce() throws Exception {
        Path go = checkout.resolve("go");
        Files.writeString(
                checkout.resolve("mvnw"),
                "#!/bin/sh\necho \"$*\" >> builds.txt\n"
                        + "i=0; while [ ! -f go ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done\n"
                        + "touch cli/target/solo.jar\n");
        Files.setLastModifiedTime(deep.resolve("Binder.java"), FileTime.fromMillis(now - HOUR / 6));

        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            Future<Launch> first = two.submit(() -> Launch.run(checkout.resolve("solo"), dir, Map.of(), "--version"));
            await().atMost(Duration.ofSeconds(30)).until(() -> builds() == 1);
            Future<Launch> second = two.submit(() -> Launch.run(checkout.resolve("solo"), dir, Map.of(), "--version"));
            long lock = (Long) Files.getAttribute(checkout.resolve("cli/target/.solo-build.lock"), "unix:ino");
            await().atMost(Duration.ofSeconds(30)).until(() -> waitsOnFlock(lock));
            Files.writeString(go, "go\n"); // the first build ends
            Launch a = first.get(60, TimeUnit.SECONDS);
            Launch b = second.get(60, TimeUnit.SECONDS);
            assertThat(a.exit()).as(a.err()).isZero();
            assertThat(b.exit()).as(b.err()).isZero();
            assertThat(a.out()).startsWith("solo ");
            assertThat(b.out()).startsWith("solo ");
            assertThat(b.err()).contains("another solo is building the jar; waiting for it");
            assertThat(builds())
                    .as("builds run, the second launcher's included")
                    .isEqualTo(1);
        } finally {
            if (!Files.exists(go)) Files.writeString(go, "go\n"); // never leave a fake build waiting
            two.shutdownNow();
        }
    }

    /** Whether a process waits for a flock(2) lock on the file with inode {@code ino} ({@code /proc/locks}). */
    private static boolean waitsOnFlock(long ino) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/locks"))) {
            if (line.contains("-> FLOCK") && line.matches(".*:" + ino + " .*")) return true;
        }
        return false;
    }

    /** Runs {@code solo --version} in the checkout; the number of builds it has asked for so far. */
    private int version() throws IOException, InterruptedException {
        Launch r = Launch.run(checkout.resolve("solo"), dir, Map.of(), "--version");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("solo ");
        return builds();
    }

    private int builds() throws IOException {
        Path log = checkout.resolve("builds.txt");
        if (!Files.exists(log)) return 0;
        assertThat(Files.readString(log)).as("the launcher's build command").contains("-pl cli -am");
        return Files.readAllLines(log).size();
    }

    private void jarBuiltHalfAnHourAgo() throws IOException {
        Files.setLastModifiedTime(checkout.resolve("cli/target/solo.jar"), FileTime.fromMillis(now - HOUR / 2));
    }

    private void old(Path p) throws IOException {
        Files.setLastModifiedTime(p, FileTime.fromMillis(now - HOUR));
    }
}
