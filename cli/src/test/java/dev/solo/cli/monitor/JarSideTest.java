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
 * The server's files beside its jar (class-data archive or AOT cache, SQLite's native library) are used only from a
 * directory that is the user's alone (elsewhere they go into the user's state directory): another user who can write there could plant a library that the
 * server loads and runs as the user (tried as nobody: its constructor ran in the victim's server).
 */
@Timeout(60)
class JarSideTest {
    @TempDir
    Path dir;

    /**
     * A jar in a shared, sticky directory (as in /tmp): nobody puts a "library" beside it first, with a
     * class-data archive (JDK 17 to 24) and an AOT cache with a stamp that fits (JDK 25+) named for it.
     */
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
        String evilCache = "someone else's classes";
        String fittingStamp = AotCache.build(jar) + "\n" + evilCache.length() + "\n";
        // nobody goes first: a "library" newer than the jar where the server looks, and an archive and a cache
        OtherUser.Result r = OtherUser.run(
                "sh",
                "-c",
                "mkdir -p \"$1\" && echo evil > \"$1/$2\" && echo planted > \"$3\" && printf %s \"$4\" > \"$3.jar\""
                        + " && printf %s \"$5\" > \"$6\" && printf %s \"$7\" > \"$6.stamp\"",
                "sh",
                platformDir.toString(),
                name,
                shared.resolve(ChildJvm.ARCHIVE).toString(),
                jar.toString(),
                evilCache,
                shared.resolve(AotCache.CACHE).toString(),
                fittingStamp);
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(AotCache.fits(jar, shared))
                .as("the planted cache's stamp fits")
                .isTrue();

        assertThat(JarSide.trusted(jar)).isFalse();
        Path state = dir.resolve("state");
        for (int feature : new int[] {17, 25}) {
            boolean aot = feature >= AotCache.FIRST_FEATURE;
            List<String> child = ChildJvm.options(jar.toString(), state, feature);
            for (List<String> flags : List.of(child, ServiceProgram.jvmOptions(jar.toString(), state, feature))) {
                assertThat(flags).as("aot " + aot).contains("-XX:+UseSerialGC");
                assertThat(flags).as("aot " + aot).noneMatch(f -> f.contains(shared.toString()));
            }
            // the server's files are the user's own, in the state directory
            assertThat(child).anyMatch(f -> f.startsWith("-Dorg.sqlite.lib.path=" + state));
            if (aot) { // no cache of the user's own yet: the launcher trains one in the state directory
                assertThat(child).noneMatch(f -> f.startsWith("-XX:AOTCache"));
            } else {
                assertThat(child).anyMatch(f -> f.startsWith("-XX:ArchiveClassesAtExit=" + state));
            }
        }
        assertThat(Files.readString(platformDir.resolve(name))).isEqualTo("evil\n");
        assertThat(shared.resolve(ChildJvm.ARCHIVE + ".claim")).doesNotExist();
        assertThat(shared.resolve(AotCache.CLAIM)).doesNotExist();
    }

    /** A directory of another user, even one only that user may write to, is not the user's to trust. */
    @Test
    void aJarInAnotherUsersDirectoryGetsNoFilesBesideIt() throws Exception {
        OtherUser.assume();
        Path theirs = Files.createDirectory(dir.resolve("theirs"));
        Path jar = Files.writeString(theirs.resolve("solo.jar"), "jar");
        Files.setAttribute(theirs, "unix:uid", OtherUser.NOBODY_UID);
        assertThat(JarSide.trusted(jar)).isFalse();
        for (int feature : new int[] {17, 25}) {
            assertThat(ChildJvm.options(jar.toString(), dir.resolve("state"), feature))
                    .as("JDK " + feature)
                    .noneMatch(f -> f.contains(theirs.toString()));
        }
        try (var files = Files.list(theirs)) {
            assertThat(files).containsExactly(jar);
        }
    }

    /** The user's own private directory keeps the fast start: the archive (JDK 17 to 24), the cache (25+). */
    @Test
    void aJarInTheUsersOwnDirectoryKeepsItsArchiveCacheAndLibrary() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = Files.writeString(dir.resolve("solo.jar"), "jar");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));
        assertThat(JarSide.trusted(jar)).isTrue();
        Path state = dir.resolve("state");
        assertThat(ChildJvm.options(jar.toString(), state, 17))
                .anyMatch(f -> f.startsWith("-XX:ArchiveClassesAtExit=" + dir.resolve(ChildJvm.ARCHIVE)))
                .anyMatch(f -> f.startsWith("-Dorg.sqlite.lib.path=" + dir.resolve(ChildJvm.NATIVE)));

        Path cache = Files.writeString(dir.resolve(AotCache.CACHE), "trained");
        AotCache.stamp(jar, cache);
        assertThat(ChildJvm.options(jar.toString(), state, 25))
                .contains("-XX:AOTCache=" + cache)
                .noneMatch(f -> f.contains(ChildJvm.ARCHIVE))
                .anyMatch(f -> f.startsWith("-Dorg.sqlite.lib.path=" + dir.resolve(ChildJvm.NATIVE)));
        assertThat(state).doesNotExist();
    }

    private static String platformDirName() {
        return clean(System.getProperty("os.name")) + "-" + clean(System.getProperty("os.arch"));
    }

    private static String clean(String value) {
        return value.replaceAll("[^A-Za-z0-9_.]", "_");
    }
}
