package dev.solo.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.core.Registry;
import dev.solo.testing.Signals;
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
 * nothing, and so did every later list until the monitor restarted. Now the list shows the monitor,
 * found on the port the record's name gives, and writes its record anew from its proven answer; a
 * record whose resident does not answer is kept and named in a warning with what is wrong and what to
 * do. Real monitor, real CLI processes.
 */
class DamagedRecordIT {
    @TempDir
    Path home;

    /** The monitor's pid: its record is damaged on purpose, so killResidents may not find it. */
    private long monitorPid;

    @AfterEach
    void tearDown() {
        SoloProcess.killResidents(home);
        if (monitorPid > 0) ProcessHandle.of(monitorPid).ifPresent(ProcessHandle::destroyForcibly);
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
        monitorPid = pid;
        Files.writeString(record, "{\"service\":\"solo-monitor\",\"po"); // a record cut short

        var list = SoloProcess.run(home, Map.of(), List.of(), "list");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains("solo-monitor").contains(" " + p + " ").contains(" " + pid + " ");
        assertThat(list.err()).isEmpty();
        assertThat(Registry.at(home).records())
                .as("the record, written anew from the monitor's proven answer")
                .extracting(r -> r.port() + "/" + r.pid())
                .containsExactly(port + "/" + pid);
        var monitors = SoloProcess.run(home, Map.of(), List.of(), "monitor", "list");
        assertThat(monitors.exit()).as(monitors.err()).isZero();
        assertThat(monitors.out()).contains(" " + p + " ").contains(" " + pid + " ");

        // a monitor that does not answer (stopped with SIGSTOP) cannot prove it is the record's: warned, kept
        Files.writeString(record, "{\"service\":\"solo-monitor\",\"po");
        ProcessHandle monitor = ProcessHandle.of(pid).orElseThrow();
        Signals.stop(pid);
        try {
            var warned = SoloProcess.run(home, Map.of(), List.of(), "list", "--timeout", "300");
            assertThat(warned.exit()).as(warned.err()).isZero();
            assertThat(warned.err())
                    .startsWith("Warning: the registry record " + record + " cannot be read (")
                    .contains("Port " + port + " is held, so the solo-monitor resident that wrote it may still run");
            assertThat(record).exists();
        } finally {
            Signals.resume(pid);
        }
        assertThat(monitor.isAlive()).isTrue();

        var stop = SoloProcess.run(home, Map.of(), List.of(), "monitor", "stop", "--port", p);
        assertThat(stop.exit()).as(stop.err()).isZero();
        assertThat(record).as("the monitor removes its own record as it stops").doesNotExist();
    }
}
