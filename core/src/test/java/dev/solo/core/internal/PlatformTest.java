package dev.solo.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.solo.core.ConfigException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where per-user state lives, and who this process is. */
class PlatformTest {
    @Test
    void homeIsTakenFromHomeBeforeThePasswordDatabase() {
        assumeTrue(!Platform.isWindows(), "HOME is not how Windows names the profile directory");
        assertThat(Platform.userHome(Map.of("HOME", "/home/ada"))).isEqualTo(Path.of("/home/ada"));
        assertThat(Platform.userHome(Map.of("HOME", ""))).isEqualTo(Path.of(System.getProperty("user.home")));
        assertThat(Platform.userHome(Map.of("HOME", "relative/dir")))
                .as("a relative HOME is ignored")
                .isEqualTo(Path.of(System.getProperty("user.home")));
        assertThat(Platform.userHome(Map.of())).isEqualTo(Path.of(System.getProperty("user.home")));
    }

    @Test
    void theStateDirectoryFollowsHomeAndXdg() {
        assumeTrue(Platform.isLinux(), "the XDG layout is Linux's");
        assumeTrue(System.getProperty(Platform.PROP_HOME) == null, "solo.home overrides everything");
        assertThat(Platform.soloHome(Map.of("HOME", "/home/ada"))).isEqualTo(Path.of("/home/ada/.local/state/solo"));
        assertThat(Platform.soloHome(Map.of("HOME", "/home/ada", "XDG_STATE_HOME", "/var/ada/state")))
                .isEqualTo(Path.of("/var/ada/state/solo"));
        assertThat(Platform.soloHome(Map.of("HOME", "/home/ada", "SOLO_HOME", "/opt/solo")))
                .isEqualTo(Path.of("/opt/solo"));
    }

    /** A relative one named another directory in each process: a hook runs in the project, a service in /. */
    @Test
    void aRelativeStateDirectoryIsRefusedNamingTheSettingAndTheValue() {
        assumeTrue(System.getProperty(Platform.PROP_HOME) == null, "solo.home overrides everything");
        assertThatThrownBy(() -> Platform.soloHome(Map.of("HOME", "/home/ada", "SOLO_HOME", "state/solo")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("SOLO_HOME must be an absolute path, got 'state/solo'")
                .hasMessageContaining(Path.of("state/solo").toAbsolutePath().toString());
    }

    @Test
    void theRuntimeDirectoryIsXdgsUnlessAStateDirectoryWasChosen() {
        assumeTrue(!Platform.isWindows(), "no XDG runtime directory on Windows");
        assumeTrue(System.getProperty(Platform.PROP_HOME) == null, "solo.home is a choice of its own");
        assertThat(Platform.runtimeDir(Map.of("XDG_RUNTIME_DIR", "/run/user/1000")))
                .isEqualTo(Path.of("/run/user/1000/solo"));
        assertThat(Platform.runtimeDir(Map.of())).isNull();
        assertThat(Platform.runtimeDir(Map.of("XDG_RUNTIME_DIR", "run/user")))
                .as("relative")
                .isNull();
        assertThat(Platform.runtimeDir(Map.of("XDG_RUNTIME_DIR", "/run/user/1000", "SOLO_HOME", "/tmp/x")))
                .as("SOLO_HOME keeps everything in one place")
                .isNull();
    }

    @Test
    void theEffectiveUidIsTheSecondFieldOfUid() {
        String status =
                "Name:\tjava\nUmask:\t0022\nState:\tS (sleeping)\nUid:\t1000\t65534\t65534\t65534\nGid:\t1\t1\t1\t1\n";
        assertThat(Platform.effectiveUid(status)).isEqualTo(65534);
        assertThat(Platform.effectiveUid("Uid:\t0\t0\t0\t0\n")).isZero();
        assertThat(Platform.effectiveUid("Name:\tx\n")).isEqualTo(-1);
        assertThat(Platform.effectiveUid("Uid:\tx\ty\n")).isEqualTo(-1);
    }

    @Test
    void theUidIsKnownOnLinux() {
        assumeTrue(Platform.isLinux(), "read from /proc/self/status");
        assertThat(Platform.uid()).isNotNegative();
    }
}
