package dev.solo.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.solo.core.Registry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What a service manager runs is the launcher's child: same JVM options, entry point and environment. */
@Timeout(60)
class ServiceProgramTest {
    @TempDir
    Path dir;

    Target target() {
        return new Target(27001, true, "", Registry.at(dir.resolve("home")));
    }

    @Test
    void classDirectoriesGetTheChildsOptionsEntryPointAndEnvironment() {
        String cp = dir.resolve("classes") + java.io.File.pathSeparator + dir.resolve("lib.jar");
        ServiceProgram p = ServiceProgram.of(target(), "/usr/bin/java", cp, null);
        List<String> expected =
                new java.util.ArrayList<>(List.of("/usr/bin/java", "-Dsolo.home=" + dir.resolve("home")));
        if (System.getProperty("solo.ipv6") != null) expected.add("-Dsolo.ipv6=" + System.getProperty("solo.ipv6"));
        expected.addAll(ChildJvm.options(cp)); // for class directories: no jar-specific options
        expected.addAll(List.of(
                "-cp", cp, ChildMain.class.getName(), "monitor", "--foreground", "--no-browser", "--port", "27001"));
        assertThat(p.command()).containsExactlyElementsOf(expected);
        assertThat(p.command()).contains("-XX:+UseSerialGC", "-Xmx256m", "-XX:TieredStopAtLevel=1");
        assertThat(p.environment())
                .containsEntry("MALLOC_ARENA_MAX", System.getenv().getOrDefault("MALLOC_ARENA_MAX", "2"))
                .containsEntry("SOLO_MONITOR_CHILD", "1")
                .containsEntry("SOLO_HOME", dir.resolve("home").toString());
    }

    @Test
    void theUsersArenaSettingIsKeptAsTheChildInheritsIt() {
        ServiceProgram p =
                ServiceProgram.of(target(), "java", dir.resolve("classes").toString(), "4");
        assertThat(p.environment()).containsEntry("MALLOC_ARENA_MAX", "4");
    }

    /** JDK 17 to 24: the archive a launcher's child recorded, never a recording of its own. */
    @Test
    void aJarGetsSqlitesLibraryAndTheArchiveButNeverRecordsIt() throws Exception {
        Path jar = Files.writeString(dir.resolve("solo.jar"), "not really a jar");
        Path home = dir.resolve("home");
        List<String> without = ServiceProgram.jvmOptions(jar.toString(), home, 17);
        assertThat(without).noneMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit"));
        assertThat(without).noneMatch(o -> o.startsWith("-XX:SharedArchiveFile"));
        assertThat(without)
                .contains("-Dorg.sqlite.lib.path="
                        + ChildJvm.sqliteLibrary(jar, home).get(0).substring("-Dorg.sqlite.lib.path=".length()));
        assertThat(dir.resolve(ChildJvm.ARCHIVE + ".claim")).doesNotExist(); // no claim taken for a unit file

        Files.writeString(dir.resolve(ChildJvm.ARCHIVE), "recorded by a launcher's child");
        List<String> with = ServiceProgram.jvmOptions(jar.toString(), home, 17);
        assertThat(with).contains("-XX:SharedArchiveFile=" + dir.resolve(ChildJvm.ARCHIVE));
        assertThat(with).containsAll(ChildJvm.options(null, null, 17));
    }

    /**
     * JDK 25+: no AOT cache even where a fitting one lies beside the jar (the unit outlives builds, and the
     * JVM would not notice a jar rebuilt under it), and no archive (that JDK would not map one made by another).
     */
    @Test
    void onAJdkWithTheAotCacheAJarGetsSqlitesLibraryAndTheAotOptionsButNoCache() throws Exception {
        Path jar = Files.writeString(dir.resolve("solo.jar"), "not really a jar");
        Path home = dir.resolve("home");
        AotCache.stamp(jar, Files.writeString(dir.resolve(AotCache.CACHE), "trained by a launcher"));
        Files.writeString(dir.resolve(ChildJvm.ARCHIVE), "recorded on JDK 17");
        List<String> options = ServiceProgram.jvmOptions(jar.toString(), home, 25);
        assertThat(options).containsAll(ChildJvm.options(null, null, 25)).containsAll(AotCache.runtimeOptions());
        assertThat(options).noneMatch(o -> o.startsWith("-XX:AOTCache") || o.contains("Archive"));
        assertThat(options).anyMatch(o -> o.startsWith("-Dorg.sqlite.lib.path="));
    }

    /** The unit runs on the JDK that installs it, so that JDK's kind of options go into it. */
    @Test
    void theProgramCarriesTheOptionsOfTheJdkThatRunsIt() throws Exception {
        Path jar = Files.writeString(dir.resolve("solo.jar"), "not really a jar");
        Files.writeString(dir.resolve(ChildJvm.ARCHIVE), "recorded by a launcher's child");
        ServiceProgram p = ServiceProgram.of(target(), "java", jar.toString(), null);
        assertThat(p.command())
                .containsSubsequence(ServiceProgram.jvmOptions(
                        jar.toString(), dir.resolve("home"), Runtime.version().feature()));
    }

    @Test
    void aNamedInstanceHasNoServiceItKeepsAnOSAssignedPort() {
        Target named = new Target(41000, false, "demo", Registry.at(dir.resolve("home")));
        assertThatThrownBy(() -> ServiceProgram.of(named, "java", "x", null))
                .hasMessageContaining("'demo'")
                .hasMessageContaining("--port");
    }
}
