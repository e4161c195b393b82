package dev.solo.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.solo.testing.Prerequisite;
import dev.solo.testing.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** logs/ and monitor/ are owner-only: made so, tightened when older versions left them 0755, never taken over. */
@Timeout(120)
class StateDirsTest {
    @TempDir
    Path dir;

    Path home() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        return home;
    }

    static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void missingFoldersAreMadeOwnerOnlyAndOpenOnesAreTightened() throws Exception {
        Path home = home();
        Files.createDirectories(home.resolve("logs"));
        Files.setPosixFilePermissions(home.resolve("logs"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(home.resolve("logs/monitor-port-8765.log"), "kept\n");
        StateDirs.ownerOnly(home);
        assertThat(mode(home.resolve("logs"))).isEqualTo("rwx------");
        assertThat(mode(home.resolve("monitor"))).isEqualTo("rwx------");
        assertThat(home.resolve("logs/monitor-port-8765.log")).hasContent("kept");
    }

    @Test
    @Requires(Prerequisite.SETPRIV)
    void aFolderOfAnotherUserIsRefusedAndLeftAsItIs() throws Exception {
        Path home = home();
        Path logs = Files.createDirectories(home.resolve("logs"));
        Files.setPosixFilePermissions(logs, PosixFilePermissions.fromString("rwxr-xr-x"));
        var nobody = logs.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(logs, nobody); // as root, which the other-user tests run as
        assertThatThrownBy(() -> StateDirs.ownerOnly(home))
                .hasMessageContaining(logs + " belongs to nobody")
                .hasMessageContaining("set SOLO_HOME to a directory of yours");
        assertThat(mode(logs)).isEqualTo("rwxr-xr-x");
    }
}
