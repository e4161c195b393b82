package dev.solo.testing;

import java.nio.file.Path;

/** Facts about the run the tests are part of. */
public final class TestEnvironment {
    private TestEnvironment() {}

    /**
     * Whether this is CI, where {@code .ci/run} installed every prerequisite: {@code CI=true} in the
     * environment, or {@code -Dsolo.test.ci=true}. There a missing prerequisite fails instead of skipping.
     */
    public static boolean isCi() {
        String property = System.getProperty("solo.test.ci");
        if (property != null) return Boolean.parseBoolean(property);
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** The module under test: Surefire's {@code basedir}, else the working directory. */
    public static Path moduleDir() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
                .toAbsolutePath();
    }

    /** The module's {@code target/} directory, where tests may write. */
    public static Path targetDir() {
        return moduleDir().resolve("target");
    }
}
