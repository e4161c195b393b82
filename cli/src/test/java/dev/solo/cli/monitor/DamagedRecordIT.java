package dev.solo.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.core.Registry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry record of a running monitor, damaged on disk: {@code solo list} deleted it and showed
 * nothing, and so did every later list until the monitor restarted. Now both lists show the monitor,
 * found on the port the record's name gives, and warn with the record's path, what is wrong and what to
 * do; the file stays. Real monitor, real CLI processes.
 */
class DamagedRecordIT {
    @TempDir
    Path home;

    @AfterEach
    void tearDown() {
        SoloProcess.killResidents(home);
    }

    @Test
    @Timeout(120)
    void aMonitorWhoseRecordIsDamagedIsStillListedAndTheDamageNamed() throws Exception {
        int port = SoloProcess.freePort();
        String p = Integer.toString(port);
        var start = SoloProcess.run(home, Map.of(), List.of(), "monitor", "--port", p, "--no-browser");
        assertThat(start.exit()).as(start.err()).isZero();
        Path record;
        try (Stream<Path> files = Files.list(Registry.at(home).instancesDir())) {
            record = files.filter(f -> f.getFileName().toString().startsWith("solo-monitor@" + p + "@"))
                    .findFirst()
                    .orElseThrow();
        }
        long pid = Registry.at(home).records().get(0).pid();
        Files.writeString(record, "{\"service\":\"solo-monitor\",\"po"); // a record cut short

        for (int i = 0; i < 2; i++) { // the second run finds what the first left
            var list = SoloProcess.run(home, Map.of(), List.of(), "list");
            assertThat(list.exit()).as(list.err()).isZero();
            assertThat(list.out())
                    .contains("solo-monitor")
                    .contains(" " + p + " ")
                    .contains(" " + pid + " ");
            assertThat(list.err())
                    .startsWith("Warning: the registry record " + record + " cannot be read (")
                    .contains("Port " + port + " is held, so the solo-monitor resident that wrote it may still run");
            assertThat(record).exists();
        }
        var monitors = SoloProcess.run(home, Map.of(), List.of(), "monitor", "list");
        assertThat(monitors.exit()).as(monitors.err()).isZero();
        assertThat(monitors.out()).contains(" " + p + " ").contains(" " + pid + " ");
        assertThat(monitors.err()).contains("Warning: the registry record " + record);

        var stop = SoloProcess.run(home, Map.of(), List.of(), "monitor", "stop", "--port", p);
        assertThat(stop.exit()).as(stop.err()).isZero();
        assertThat(record).as("the monitor removes its own record as it stops").doesNotExist();
    }
}
