package dev.solo.monitor.dashboard;

import dev.solo.testing.TestEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where the dashboard tests put their screenshots ({@code monitor/target/screenshots/}), and the one
 * explicit way to refresh the pictures in {@code docs/}: a test run never writes a tracked file unless
 * it is asked to with {@code -Dsolo.refreshDocs=true}:
 *
 * <pre>
 * ./mvnw -pl monitor -am test -Dtest='DashboardTest#screenshots*,MissionControlTest#screenshots*' \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dsolo.refreshDocs=true
 * </pre>
 */
final class Screenshots {
    /** The directory every dashboard screenshot is written to. */
    static final Path DIR = TestEnvironment.targetDir().resolve("screenshots");

    private Screenshots() {}

    /** {@code DIR/name.png}, with {@code DIR} created. */
    static Path file(String name) throws IOException {
        Files.createDirectories(DIR);
        return DIR.resolve(name + ".png");
    }

    /**
     * Copies {@code shot} (a file in {@link #DIR}) over the picture of the same name in {@code docs/},
     * only when {@code -Dsolo.refreshDocs=true}; otherwise does nothing. Returns whether it copied.
     */
    static boolean publish(Path shot) throws IOException {
        if (!Boolean.getBoolean("solo.refreshDocs")) return false;
        Path docs = TestEnvironment.moduleDir().resolveSibling("docs");
        if (!Files.isDirectory(docs)) {
            throw new IOException("-Dsolo.refreshDocs=true but there is no " + docs + "; run from a checkout of solo");
        }
        Path target = docs.resolve(shot.getFileName());
        Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("refreshed " + target);
        return true;
    }
}
