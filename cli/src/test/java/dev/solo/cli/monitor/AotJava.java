package dev.solo.cli.monitor;

import dev.solo.testing.Prerequisite;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opentest4j.TestAbortedException;

/**
 * A {@code java} of JDK {@value AotCache#FIRST_FEATURE} or newer for the tests of {@link AotCache}: {@code
 * SOLO_TEST_JAVA_AOT} (or {@code -Dsolo.test.javaAot}), else the newest JDK under {@code /usr/lib/jvm} whose
 * {@code release} file says so. Where there is none (Debian bookworm packages no such JDK) the test is
 * skipped, also under {@code CI=true}, and the build's skipped-tests summary says why.
 */
final class AotJava {
    private static final Pattern VERSION = Pattern.compile("^JAVA_VERSION=\"(\\d+)", Pattern.MULTILINE);

    private AotJava() {}

    /** The {@code java} binary, or the test is aborted (skipped) with the reason and how to enable it. */
    static Path require() {
        return locate().orElseThrow(
                        () -> new TestAbortedException(Prerequisite.NOT_HERE + "no JDK " + AotCache.FIRST_FEATURE
                                + "+ for the monitor's AOT-cache tests. To run them: install one (e.g. Temurin 25) under"
                                + " /usr/lib/jvm, or set SOLO_TEST_JAVA_AOT to its bin/java."));
    }

    static Optional<Path> locate() {
        String set = System.getProperty("solo.test.javaAot", System.getenv("SOLO_TEST_JAVA_AOT"));
        if (set != null && !set.isBlank()) return Optional.of(Path.of(set)).filter(Files::isExecutable);
        Path best = null;
        int bestFeature = 0;
        try (DirectoryStream<Path> jdks = Files.newDirectoryStream(Path.of("/usr/lib/jvm"))) {
            for (Path jdk : jdks) {
                int feature = feature(jdk.resolve("release"));
                Path java = jdk.resolve("bin/java");
                if (feature >= AotCache.FIRST_FEATURE && feature > bestFeature && Files.isExecutable(java)) {
                    best = java;
                    bestFeature = feature;
                }
            }
        } catch (IOException | RuntimeException none) {
            return Optional.empty();
        }
        return Optional.ofNullable(best);
    }

    private static int feature(Path release) {
        try {
            Matcher m = VERSION.matcher(Files.readString(release));
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
