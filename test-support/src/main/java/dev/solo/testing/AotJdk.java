package dev.solo.testing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The one lookup of a JDK {@value #FIRST} or later, whose {@code java} makes and maps the monitor's
 * ahead-of-time cache in one step (JEP 514/515; JDK 24's cache needs a separate creation step, so the
 * product uses the cache from 25 on, {@code AotCache}): for the tests that run solo on such a JDK while the
 * build itself may run on 17 ({@link Prerequisite#JDK_AOT}). In this order:
 *
 * <ol>
 *   <li>{@code SOLO_TEST_JAVA_AOT} (or {@code -Dsolo.test.javaAot}): its home, or its {@code bin/java}; one
 *       that is not such a JDK is not replaced by another: the tests are skipped and say so;
 *   <li>the JDK the tests run on, when it is one (a user whose {@code java} is JDK 25 runs {@code ./mvnw
 *       verify} on it);
 *   <li>the newest one under {@code /usr/lib/jvm}.
 * </ol>
 *
 * A home counts when it has {@code bin/java} and its {@code release} file says {@code JAVA_VERSION="25"} or
 * later.
 */
public final class AotJdk {
    public static final int FIRST = 25;
    private static final String VERSION = "JAVA_VERSION=\"";

    private AotJdk() {}

    /** The JDK's home, or empty. */
    static Optional<String> locate() {
        String named = System.getProperty("solo.test.javaAot", System.getenv("SOLO_TEST_JAVA_AOT"));
        return locate(named, Path.of(System.getProperty("java.home")), Path.of("/usr/lib/jvm"))
                .map(Path::toString);
    }

    /** The {@code java} of {@link Prerequisite#JDK_AOT}; without one the test is skipped, saying how to add one. */
    public static Path java() {
        return Path.of(Prerequisite.JDK_AOT.require(), "bin", "java");
    }

    /** {@link #locate()} with its inputs: the named home or java (null: none), the running home, the JDKs' folder. */
    static Optional<Path> locate(String named, Path running, Path jvms) {
        if (named != null && !named.isBlank()) {
            Path home = Path.of(named).toAbsolutePath();
            if (Files.isRegularFile(home) && home.getParent() != null)
                home = home.getParent().getParent(); // bin/java
            return feature(home) >= FIRST ? Optional.of(home) : Optional.empty();
        }
        if (feature(running) >= FIRST) return Optional.of(running);
        Path best = null;
        int bestFeature = 0;
        if (!Files.isDirectory(jvms)) return Optional.empty();
        try (DirectoryStream<Path> homes = Files.newDirectoryStream(jvms)) {
            for (Path home : homes) {
                int feature = feature(home);
                // newest first; of equals (a link and its target) the first name in order, not the listing's
                if (feature >= FIRST && (feature > bestFeature || feature == bestFeature && home.compareTo(best) < 0)) {
                    best = home;
                    bestFeature = feature;
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
        return Optional.ofNullable(best);
    }

    /** The feature release of the JDK at {@code home} ({@code 25}), or 0 when it is none or has no {@code java}. */
    static int feature(Path home) {
        if (home == null || !Files.isExecutable(home.resolve("bin/java"))) return 0;
        try {
            for (String line : Files.readAllLines(home.resolve("release"))) {
                if (!line.startsWith(VERSION)) continue;
                String v = line.substring(VERSION.length());
                int end = 0;
                while (end < v.length() && Character.isDigit(v.charAt(end))) end++;
                return end > 0 ? Integer.parseInt(v.substring(0, end)) : 0;
            }
        } catch (IOException | RuntimeException noRelease) {
            return 0;
        }
        return 0;
    }
}
