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

    @Test
    void aJarGetsSqlitesLibraryAndTheArchiveButNeverRecordsIt() throws Exception {
        Path jar = Files.writeString(dir.resolve("solo.jar"), "not really a jar");
        ServiceProgram without = ServiceProgram.of(target(), "java", jar.toString(), null);
        assertThat(without.command()).noneMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit"));
        assertThat(without.command()).noneMatch(o -> o.startsWith("-XX:SharedArchiveFile"));
        assertThat(without.command())
                .contains("-Dorg.sqlite.lib.path="
                        + ChildJvm.sqliteLibrary(jar, dir.resolve("home"))
                                .get(0)
                                .substring("-Dorg.sqlite.lib.path=".length()));
        assertThat(dir.resolve(ChildJvm.ARCHIVE + ".claim")).doesNotExist(); // no claim taken for a unit file

        Files.writeString(dir.resolve(ChildJvm.ARCHIVE), "recorded by a launcher's child");
        ServiceProgram with = ServiceProgram.of(target(), "java", jar.toString(), null);
        assertThat(with.command()).contains("-XX:SharedArchiveFile=" + dir.resolve(ChildJvm.ARCHIVE));
        assertThat(with.command()).containsAll(ChildJvm.options(null));
    }

    @Test
    void aNamedInstanceHasNoServiceItKeepsAnOSAssignedPort() {
        Target named = new Target(41000, false, "demo", Registry.at(dir.resolve("home")));
        assertThatThrownBy(() -> ServiceProgram.of(named, "java", "x", null))
                .hasMessageContaining("'demo'")
                .hasMessageContaining("--port");
    }
}
