package dev.solo.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A monitor started by the real jar tightens the folders an earlier version left 0755, and its log and
 * database files are the owner's only.
 */
@Timeout(120)
class StateDirsIT {
    @TempDir
    Path dir;

    static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void aStartedMonitorLeavesBothFoldersAndTheirFilesOwnerOnly() throws Exception {
        Path solo = dir.resolve("solo");
        for (String name : StateDirs.NAMES) {
            Files.createDirectories(solo.resolve(name));
            Files.setPosixFilePermissions(solo.resolve(name), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        String port = Integer.toString(SoloProcess.freePort());
        try {
            var started = SoloProcess.run(solo, Map.of(), List.of(), "monitor", "--port", port, "--no-browser");
            assertThat(started.exit()).as(started.err()).isZero();
            assertThat(mode(solo.resolve("logs"))).isEqualTo("rwx------");
            assertThat(mode(solo.resolve("monitor"))).isEqualTo("rwx------");
            try (var logs = Files.list(solo.resolve("logs"));
                    var dbs = Files.list(solo.resolve("monitor"))) {
                List<Path> files = new ArrayList<>(logs.toList());
                files.addAll(dbs.toList());
                assertThat(files).isNotEmpty();
                for (Path f : files) assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------");
            }
        } finally {
            SoloProcess.run(solo, Map.of(), List.of(), "monitor", "stop", "--port", port);
        }
    }
}
