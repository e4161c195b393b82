package dev.solo.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * When {@link AotCache} names a cache (JDK 25+; these rules run on any JDK): only one whose stamp fits the
 * jar and the JDK exactly, only from a folder that is the user's alone, and one training per build. The
 * real JVM's side is {@link AotCacheIT}.
 */
@Timeout(60)
class AotCacheTest {
    @TempDir
    Path dir;

    @Test
    void aCacheIsUsedOnlyWhileItsStampNamesThisJarThisJdkAndItsOwnSize() throws Exception {
        Path jar = jar(dir);
        Path cache = Files.writeString(dir.resolve(AotCache.CACHE), "cache");
        assertThat(AotCache.fits(jar, dir)).isFalse(); // no stamp: not ours to trust
        AotCache.stamp(jar, cache);
        assertThat(AotCache.fits(jar, dir)).isTrue();
        assertThat(AotCache.options(jar, dir.resolve("state"))).containsExactly("-XX:AOTCache=" + cache);

        Files.writeString(cache, "cache, cut"); // truncated or replaced after its stamp
        assertThat(AotCache.fits(jar, dir)).isFalse();
        AotCache.stamp(jar, cache);
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now())); // rebuilt in place: the JVM would not notice
        assertThat(AotCache.fits(jar, dir)).isFalse();
        AotCache.stamp(jar, cache);
        String otherJdk = Files.readString(dir.resolve(AotCache.STAMP), StandardCharsets.UTF_8)
                .replace(System.getProperty("java.vm.version"), "25.0.1+8");
        Files.writeString(dir.resolve(AotCache.STAMP), otherJdk);
        assertThat(AotCache.fits(jar, dir)).isFalse();
        assertThat(AotCache.options(jar, dir.resolve("state"))).isEmpty();
    }

    @Test
    void aFittingCacheBesideAJarInAFolderOthersMayWriteIsNeverNamed() throws Exception {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path jar = jar(shared);
        Path planted = Files.writeString(shared.resolve(AotCache.CACHE), "someone else's classes");
        AotCache.stamp(jar, planted); // a stamp that fits: anyone who can write there can write one

        Path state = dir.resolve("state");
        assertThat(AotCache.find(jar, state)).isNull();
        assertThat(AotCache.options(jar, state)).isEmpty();
        // the user's own cache, in the private folder of the state directory, is used instead
        Path own = ChildJvm.privateDir(state);
        Path mine = Files.writeString(own.resolve(AotCache.CACHE), "mine");
        AotCache.stamp(jar, mine);
        assertThat(AotCache.options(jar, state)).containsExactly("-XX:AOTCache=" + mine);
    }

    @Test
    void oneTrainingPerBuildIsClaimedAndAStaleOrForeignClaimIsTakenOver() throws Exception {
        Path jar = jar(dir);
        assertThat(AotCache.claim(jar, dir)).isTrue();
        assertThat(AotCache.claim(jar, dir)).isFalse(); // a second start meanwhile: the first one's training runs
        Path claim = dir.resolve(AotCache.CLAIM);
        Files.setLastModifiedTime(
                claim, FileTime.fromMillis(System.currentTimeMillis() - ChildJvm.CLAIM_MILLIS - 1000));
        assertThat(AotCache.claim(jar, dir)).isTrue(); // that training died: lapsed
        Files.writeString(claim, "/elsewhere/solo.jar 1 2 /jdk 25");
        assertThat(AotCache.claim(jar, dir)).isTrue(); // another build's claim
    }

    private static Path jar(Path in) throws Exception {
        Path jar = Files.writeString(in.resolve("solo.jar"), "jar");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(600)));
        return jar;
    }
}
