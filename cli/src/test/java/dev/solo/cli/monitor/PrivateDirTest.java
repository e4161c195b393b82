package dev.solo.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user's private folders for files the monitor's JVM loads: made owner-only, and what is found there
 * is used only when it is a real folder of this user's; a link or another user's folder is refused,
 * never followed or changed.
 */
@Timeout(30)
class PrivateDirTest {
    @TempDir
    Path dir;

    @Test
    void everyLevelIsMadeOwnerOnlyAndAnOldLooseOneIsTightened() throws Exception {
        Path state = dir.resolve("state");
        Path made = PrivateDir.of(state, "jvm", "sqlite-1", "Linux-amd64");
        assertThat(made).isEqualTo(state.resolve("jvm/sqlite-1/Linux-amd64")).isDirectory();
        for (Path p = made; !p.equals(state); p = p.getParent()) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
                    .as(p.toString())
                    .isEqualTo("rwx------");
        }
        Files.setPosixFilePermissions(state.resolve("jvm"), PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(PrivateDir.of(state, "jvm", "sqlite-1", "Linux-amd64")).isEqualTo(made);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("jvm"))))
                .isEqualTo("rwx------");
    }

    @Test
    void aLinkInThePlaceOfAFolderIsRefusedAndNotFollowed() throws Exception {
        Path state = Files.createDirectories(dir.resolve("state"));
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.createSymbolicLink(state.resolve("jvm"), elsewhere);
        assertThatThrownBy(() -> PrivateDir.of(state, "jvm", "sqlite-1"))
                .hasMessageContaining(state.resolve("jvm") + " is not a folder");
        try (var files = Files.list(elsewhere)) {
            assertThat(files).isEmpty();
        }
        assertThat(ChildJvm.privateDir(state, "sqlite-1")).isNull(); // ChildJvm then leaves the options out
    }

    @Test
    void anotherUsersFolderIsRefusedAndLeftAsItIs() throws Exception {
        assumeThat(System.getProperty("user.name"))
                .as("giving a folder to nobody needs root")
                .isEqualTo("root");
        Path state = Files.createDirectories(dir.resolve("state"));
        Path theirs = Files.createDirectories(state.resolve("jvm"));
        Files.setPosixFilePermissions(theirs, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setAttribute(theirs, "unix:uid", 65534);
        assertThatThrownBy(() -> PrivateDir.of(state, "jvm"))
                .hasMessageContaining(theirs + " belongs to ")
                .hasMessageContaining("not to root");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(theirs)))
                .isEqualTo("rwxrwxrwx");

        Path foreignRoot = Files.createDirectories(dir.resolve("foreign"));
        Files.setAttribute(foreignRoot, "unix:uid", 65534);
        assertThatThrownBy(() -> PrivateDir.of(foreignRoot, "jvm")).hasMessageContaining(foreignRoot + " belongs to ");
        assertThat(foreignRoot.resolve("jvm")).doesNotExist();
    }
}
