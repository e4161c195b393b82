package dev.solo.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A bad token file or a state directory that cannot be written is one line on stderr from every {@code
 * solo monitor} command: what is wrong, with the path, and what to do; never a Java stack trace, and
 * nothing started.
 */
class MonitorErrorsIT {
    @TempDir
    Path tmp;

    static List<List<String>> commands() {
        return List.of(
                List.of("monitor"),
                List.of("monitor", "--no-browser"),
                List.of("monitor", "--foreground", "--no-browser"),
                List.of("monitor", "stop"),
                List.of("monitor", "status"),
                List.of("monitor", "restart", "--no-browser"),
                List.of("monitor", "open"),
                List.of("monitor", "logs"),
                List.of("monitor", "list"),
                List.of("monitor", "token"),
                List.of("monitor", "hooks", "install"),
                List.of("monitor", "hooks", "status"));
    }

    static void assertOneLineError(SoloProcess.Result r, String about, List<String> cmd) {
        String what = String.join(" ", cmd);
        assertThat(r.exit()).as(what + ": " + r.err()).isNotZero();
        assertThat(r.err().lines().toList()).as(what).hasSize(1);
        assertThat(r.err()).as(what).startsWith("Error: ").contains(about);
        assertThat(r.err() + r.out())
                .as(what)
                .doesNotContain("Exception in thread")
                .doesNotContain("\tat ")
                .doesNotContain("Caused by");
    }

    @ParameterizedTest
    @MethodSource("commands")
    void aTokenFileOthersMayReadIsOneLineFromEveryCommand(List<String> cmd) throws Exception {
        Path home = Files.createDirectories(tmp.resolve("solo"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        Path token = home.resolve("token");
        Files.writeString(token, "ab".repeat(32) + "\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
        int port = SoloProcess.freePort();
        var r = SoloProcess.run(
                home, Map.of("SOLO_MONITOR_PORT", Integer.toString(port)), List.of(), cmd.toArray(String[]::new));
        assertOneLineError(r, token.toString(), cmd);
        assertThat(SoloProcess.freePortStillFree(port))
                .as("nothing listens on " + port)
                .isTrue();
    }

    @Test
    void rotatingReplacesATokenFileOthersMayRead() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("solo"));
        Path token = home.resolve("token");
        Files.writeString(token, "ab".repeat(32) + "\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
        var r = SoloProcess.run(home, Map.of(), List.of(), "monitor", "token", "--rotate");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token)))
                .isEqualTo("rw-------");
        assertThat(Files.readString(token)).doesNotContain("ab".repeat(32));
        assertThat(SoloProcess.run(home, Map.of(), List.of(), "monitor", "token")
                        .exit())
                .isZero();
    }

    @ParameterizedTest
    @MethodSource("commands")
    void aStateDirectoryThatCannotBeWrittenIsOneLineFromEveryCommand(List<String> cmd) throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "not a directory");
        Path home = file.resolve("solo"); // below a regular file: nobody can create it, root neither
        int port = SoloProcess.freePort();
        var r = SoloProcess.run(
                home, Map.of("SOLO_MONITOR_PORT", Integer.toString(port)), List.of(), cmd.toArray(String[]::new));
        assertOneLineError(r, file.toString(), cmd);
    }
}
