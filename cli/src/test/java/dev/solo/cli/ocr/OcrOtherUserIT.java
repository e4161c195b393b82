package dev.solo.cli.ocr;

import static dev.solo.cli.ocr.Fixtures.ascii;
import static dev.solo.cli.ocr.Fixtures.exchange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.solo.core.InstanceRecord;
import dev.solo.core.Registry;
import dev.solo.testing.Finished;
import dev.solo.testing.OtherUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code solo ocr status} and {@code stop} on a machine where another OS user ({@code nobody}, through
 * {@code setpriv}) runs a resident in the same port range: theirs is never reported as ours and never
 * stopped, whether or not we run one of our own. The real jar, as both users run it.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class OcrOtherUserIT {
    private static final Path JAR = Path.of("target", "solo.jar").toAbsolutePath();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private final List<Process> started = new ArrayList<>();
    private OtherUser other;

    @AfterEach
    void tearDown() {
        for (Process p : started) p.destroyForcibly();
        if (other != null) other.close();
        for (InstanceRecord r : Registry.at(tmp.resolve("mine")).records()) {
            ProcessHandle.of(r.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void anotherUsersResidentIsNeitherReportedNorStopped() throws Exception {
        other = new OtherUser(tmp);
        int[] range = Fixtures.freeRange(3);
        Path theirs = other.dir();
        Process their = start(
                OtherUser.as(java(theirs, "ocr")), env(theirs.resolve("solo"), theirs, range), theirs.resolve("out"));
        await().atMost(WAIT).until(() -> !their.isAlive() || answers(range[0]));
        assertThat(their.isAlive()).as(Files.readString(theirs.resolve("out"))).isTrue();

        Path mine = tmp.resolve("mine");
        Path myHome = Files.createDirectories(tmp.resolve("my-home"));
        Map<String, String> myEnv = env(mine, myHome, range);
        Finished status = run(myHome, myEnv, "ocr", "status");
        assertThat(status.exit()).as(status.err()).isEqualTo(3);
        assertThat(status.out()).isEqualTo("solo ocr is not running on ports " + range[0] + "-" + range[1] + ".\n");
        Finished stop = run(myHome, myEnv, "ocr", "stop");
        assertThat(stop.exit()).as(stop.err()).isZero();
        assertThat(stop.out()).startsWith("No solo ocr resident is running for this user (ports ");
        assertThat(their.isAlive()).isTrue();

        // with a resident of our own beside theirs, each command speaks for ours only
        Finished background = run(myHome, myEnv, "ocr", "--background");
        assertThat(background.exit()).as(background.err()).isZero();
        int myPort = Integer.parseInt(background.out().replaceAll("(?s).*on port (\\d+).*", "$1"));
        assertThat(myPort).isNotEqualTo(range[0]);
        status = run(myHome, myEnv, "ocr", "status");
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.out()).startsWith("solo ocr is running on port " + myPort + " (pid ");
        stop = run(myHome, myEnv, "ocr", "stop");
        assertThat(stop.exit()).as(stop.err()).isZero();
        assertThat(stop.out()).startsWith("solo ocr stopped (port " + myPort + ", pid ");
        assertThat(run(myHome, myEnv, "ocr", "stop").exit())
                .as("none runs: nothing to stop")
                .isZero();
        assertThat(run(myHome, myEnv, "ocr", "status").exit()).isEqualTo(3);

        assertThat(their.isAlive()).isTrue();
        assertThat(exchange(range[0], ascii("PING\n"))).isEqualTo("PONG\n");
        assertThat(Files.readString(theirs.resolve("out"))).doesNotContain("stopping");
    }

    private static List<String> java(Path home, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + home,
                "-jar",
                JAR.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static Map<String, String> env(Path soloHome, Path home, int[] range) {
        return Map.of(
                "SOLO_HOME", soloHome.toString(),
                "HOME", home.toString(),
                "SINGLEINSTANCE_PORT_START", Integer.toString(range[0]),
                "SINGLEINSTANCE_PORT_END", Integer.toString(range[1]));
    }

    private Process start(List<String> cmd, Map<String, String> env, Path out) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().remove("DISPLAY");
        pb.environment().remove("XDG_RUNTIME_DIR");
        pb.environment().putAll(env);
        Process p = pb.start();
        started.add(p);
        return p;
    }

    private static Finished run(Path home, Map<String, String> env, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(java(home, args));
        pb.environment().remove("DISPLAY");
        pb.environment().remove("XDG_RUNTIME_DIR");
        pb.environment().putAll(env);
        return Finished.run(pb, WAIT, "solo " + String.join(" ", args));
    }

    private static boolean answers(int port) {
        try {
            return exchange(port, ascii("PING\n")).equals("PONG\n");
        } catch (IOException e) {
            return false;
        }
    }
}
