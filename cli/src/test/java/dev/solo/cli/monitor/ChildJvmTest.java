package dev.solo.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitor child's JVM options: the class-data archive (JDK 17 to 24) is used only while it belongs to the
 * jar (newer, recorded for its path), else recorded again; SQLite's native library is extracted next to the jar
 * once; class directories get neither. The AOT cache of JDK 25+ is {@link AotCacheTest}'s.
 */
class ChildJvmTest {
    @TempDir
    Path dir;

    @Test
    void classDirectoriesGetTheHeapAndCompilerFlagsOnly() {
        String classes = dir.resolve("classes") + java.io.File.pathSeparator + "other.jar";
        List<String> flags = ChildJvm.options(classes, dir.resolve("state"), 17);
        assertThat(flags).contains("-XX:+UseSerialGC", "-Xms16m", "-XX:TieredStopAtLevel=1");
        assertThat(flags).noneMatch(f -> f.contains("Archive") || f.contains("org.sqlite") || f.contains("aot"));
        // JDK 25+: the same, and what every server there gets (native access, no AOT/CDS log lines)
        List<String> aot = ChildJvm.options(classes, dir.resolve("state"), 25);
        assertThat(aot)
                .containsAll(flags)
                .containsAll(AotCache.runtimeOptions())
                .contains(ChildJvm.NATIVE_ACCESS);
        assertThat(aot).noneMatch(f -> f.contains("Archive") || f.contains("AOTCache") || f.contains("org.sqlite"));
    }

    /**
     * JDK 24 warns on stderr (the monitor's log) when sqlite-jdbc loads its library without native access, as
     * 25 does: its servers get the option too, with the archive's options and none of the AOT cache's. JDK 17
     * to 23 keep the options they had.
     */
    @Test
    void nativeAccessFromJdk24OnTheAotCachesOptionsFrom25On() {
        String classes = dir.resolve("classes").toString();
        Path state = dir.resolve("state");
        List<String> jdk17 = ChildJvm.options(classes, state, 17);
        List<String> jdk23 = ChildJvm.options(classes, state, 23);
        List<String> jdk24 = ChildJvm.options(classes, state, 24);
        List<String> jdk25 = ChildJvm.options(classes, state, 25);
        assertThat(jdk17).isEqualTo(jdk23).doesNotContain(ChildJvm.NATIVE_ACCESS);
        assertThat(jdk24).contains(ChildJvm.NATIVE_ACCESS).doesNotContainAnyElementsOf(AotCache.runtimeOptions());
        assertThat(jdk24).containsExactlyElementsOf(concat(jdk17, List.of(ChildJvm.NATIVE_ACCESS)));
        assertThat(jdk25).containsExactlyElementsOf(concat(jdk24, AotCache.runtimeOptions()));
        assertThat(ChildJvm.options(classes, state, 26)).isEqualTo(jdk25);
        // a unit file's server (ServiceProgram) on JDK 24 too
        assertThat(ServiceProgram.jvmOptions(classes, state, 24)).contains(ChildJvm.NATIVE_ACCESS);
        assertThat(ServiceProgram.jvmOptions(classes, state, 17)).doesNotContain(ChildJvm.NATIVE_ACCESS);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** The child runs on this process's JDK: 17 to 24 get the class-data archive, 25 and later the AOT cache. */
    @Test
    void theRunningJdkChoosesTheArchiveOrTheAotCache() {
        int feature = Runtime.version().feature();
        assertThat(AotCache.applies()).isEqualTo(feature >= 25);
        String classes = dir.resolve("classes").toString();
        assertThat(ChildJvm.options(classes)).isEqualTo(ChildJvm.options(classes, dir.resolve("state"), feature));
    }

    @Test
    void theArchiveIsRecordedOnceThenUsedUntilTheJarChangesOrMoves() throws Exception {
        Path jar = Files.writeString(dir.resolve("solo.jar"), "jar");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));
        Path archive = dir.resolve(ChildJvm.ARCHIVE);

        assertThat(ChildJvm.archive(jar, dir)).containsExactly("-XX:ArchiveClassesAtExit=" + archive);
        assertThat(ChildJvm.archive(jar, dir)).isEmpty(); // a second server meanwhile: the first one records it
        Files.writeString(archive, "recorded at exit"); // what the JVM writes when that server exits
        assertThat(ChildJvm.archive(jar, dir)).containsExactly("-XX:SharedArchiveFile=" + archive);

        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60))); // rebuilt
        assertThat(ChildJvm.archive(jar, dir)).containsExactly("-XX:ArchiveClassesAtExit=" + archive);
        assertThat(archive).doesNotExist();

        Files.writeString(archive, "recorded at exit");
        Files.setLastModifiedTime(archive, FileTime.from(Instant.now().plusSeconds(120)));
        // a checkout copied with its timestamps: the files name the other jar
        Files.writeString(dir.resolve(ChildJvm.ARCHIVE + ".jar"), "/somewhere/else/solo.jar");
        Files.writeString(dir.resolve(ChildJvm.ARCHIVE + ".claim"), "/somewhere/else/solo.jar 1");
        assertThat(ChildJvm.archive(jar, dir)).containsExactly("-XX:ArchiveClassesAtExit=" + archive);
    }

    @Test
    void sqlitesNativeLibraryIsExtractedNextToTheJarOnce() throws Exception {
        Path jar = Files.writeString(dir.resolve("solo.jar"), "jar");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));
        Path state = dir.resolve("state");
        List<String> flags = ChildJvm.sqliteLibrary(jar, state);
        assertThat(flags).hasSize(3);
        Path libDir = Path.of(flags.get(0).substring("-Dorg.sqlite.lib.path=".length()));
        Path lib = libDir.resolve(flags.get(1).substring("-Dorg.sqlite.lib.name=".length()));
        assertThat(libDir).startsWith(dir.resolve(ChildJvm.NATIVE));
        // the only directory sqlite-jdbc lists for stale copies at start: ours, not the shared /tmp
        assertThat(flags).contains("-Dorg.sqlite.tmpdir=" + libDir);
        assertThat(Files.size(lib)).isGreaterThan(100_000);
        FileTime extracted = Files.getLastModifiedTime(lib);

        assertThat(ChildJvm.sqliteLibrary(jar, state)).isEqualTo(flags);
        assertThat(state).doesNotExist(); // the jar's folder is writable: nothing private is needed
        assertThat(Files.getLastModifiedTime(lib)).isEqualTo(extracted);
        try (var files = Files.list(libDir)) {
            assertThat(files).containsExactly(lib); // no temporary file left behind
        }
    }
}
