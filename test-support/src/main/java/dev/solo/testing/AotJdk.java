package dev.solo.testing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A JDK 24 or later, whose {@code java} takes ahead-of-time caches (JEP 483): the one named by the
 * environment variable {@code SOLO_TEST_JAVA_AOT} (its home), else the first one under {@code /usr/lib/jvm}.
 * A home counts when its {@code release} file says {@code JAVA_VERSION="24"} or later and it has {@code
 * bin/java}.
 */
final class AotJdk {
    static final int FIRST = 24;

    private AotJdk() {}

    /** The JDK's home, or empty. */
    static Optional<String> locate() {
        String named = System.getenv("SOLO_TEST_JAVA_AOT");
        if (named != null && !named.isBlank()) {
            return fits(Path.of(named)) ? Optional.of(named) : Optional.empty();
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) return Optional.empty();
        try (DirectoryStream<Path> homes = Files.newDirectoryStream(jvms)) {
            for (Path home : homes) {
                if (fits(home)) return Optional.of(home.toString());
            }
        } catch (IOException unreadable) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Whether {@code home} is a JDK of version {@value #FIRST} or later. */
    static boolean fits(Path home) {
        if (!Files.isExecutable(home.resolve("bin/java"))) return false;
        try {
            for (String line : Files.readAllLines(home.resolve("release"))) {
                if (!line.startsWith("JAVA_VERSION=\"")) continue;
                String v = line.substring("JAVA_VERSION=\"".length());
                int end = 0;
                while (end < v.length() && Character.isDigit(v.charAt(end))) end++;
                return end > 0 && Integer.parseInt(v.substring(0, end)) >= FIRST;
            }
        } catch (IOException | RuntimeException noRelease) {
            return false;
        }
        return false;
    }
}
