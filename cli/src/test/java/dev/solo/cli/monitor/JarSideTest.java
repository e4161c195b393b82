package dev.solo.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.testing.OtherUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's files beside its jar (class-data archive, SQLite's native library) are used only from a
 * directory that is the user's alone (elsewhere they go into the user's state directory): another user who can write there could plant a library that the
 * server loads and runs as the user (tried as nobody: its constructor ran in the victim's server).
 */
@Timeout(60)
class JarSideTest {
    @TempDir
    Path dir;

    /** A jar in a shared, sticky directory (as in /tmp): nobody puts a "library" beside it first. */
    @Test
    void aLibraryPlantedByAnotherUserBesideAJarInASharedDirectoryIsNeverNamed() throws Exception {
        OtherUser.assume();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path jar = Files.writeString(shared.resolve("solo.jar"), "jar");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(600)));
        String name = org.sqlite.util.LibraryLoaderUtil.getNativeLibName();
        Path platformDir = shared.resolve(ChildJvm.NATIVE).resolve(platformDirName());
        // nobody goes first: a "library" newer than the jar where the server looks, and an archive named for it
        OtherUser.Result r = OtherUser.run(
                "sh",
                "-c",
                "mkdir -p \"$1\" && echo evil > \"$1/$2\" && echo planted > \"$3\" && printf %s \"$4\" > \"$3.jar\"",
                "sh",
                platformDir.toString(),
                name,
                shared.resolve(ChildJvm.ARCHIVE).toString(),
                jar.toString());
        assertThat(r.exit()).as(r.out()).isZero();

        assertThat(JarSide.trusted(jar)).isFalse();
        Path state = dir.resolve("state");
        List<String> child = ChildJvm.options(jar.toString(), state);
        for (List<String> flags : List.of(child, ServiceProgram.jvmOptions(jar.toString(), state))) {
            assertThat(flags).contains("-XX:+UseSerialGC");
            assertThat(flags).noneMatch(f -> f.contains(shared.toString()));
        }
        // the server's files are the user's own, in the state directory
        assertThat(child)
                .anyMatch(f -> f.startsWith("-XX:ArchiveClassesAtExit=" + state))
                .anyMatch(f -> f.startsWith("-Dorg.sqlite.lib.path=" + state));
        assertThat(Files.readString(platformDir.resolve(name))).isEqualTo("evil\n");
        assertThat(shared.resolve(ChildJvm.ARCHIVE + ".claim")).doesNotExist();
    }

    /** A directory of another user, even one only that user may write to, is not the user's to trust. */
    @Test
    void aJarInAnotherUsersDirectoryGetsNoFilesBesideIt() throws Exception {
        OtherUser.assume();
        Path theirs = Files.createDirectory(dir.resolve("theirs"));
        Path jar = Files.writeString(theirs.resolve("solo.jar"), "jar");
        Files.setAttribute(theirs, "unix:uid", OtherUser.NOBODY_UID);
        assertThat(JarSide.trusted(jar)).isFalse();
        assertThat(ChildJvm.options(jar.toString(), dir.resolve("state")))
                .noneMatch(f -> f.contains(theirs.toString()));
        try (var files = Files.list(theirs)) {
            assertThat(files).containsExactly(jar);
        }
    }

    /** The user's own private directory keeps the fast start. */
    @Test
    void aJarInTheUsersOwnDirectoryKeepsItsArchiveAndLibrary() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = Files.writeString(dir.resolve("solo.jar"), "jar");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));
        assertThat(JarSide.trusted(jar)).isTrue();
        assertThat(ChildJvm.options(jar.toString(), dir.resolve("state")))
                .anyMatch(f -> f.startsWith("-XX:ArchiveClassesAtExit=" + dir.resolve(ChildJvm.ARCHIVE)))
                .anyMatch(f -> f.startsWith("-Dorg.sqlite.lib.path=" + dir.resolve(ChildJvm.NATIVE)));
    }

    private static String platformDirName() {
        return clean(System.getProperty("os.name")) + "-" + clean(System.getProperty("os.arch"));
    }

    private static String clean(String value) {
        return value.replaceAll("[^A-Za-z0-9_.]", "_");
    }
}
