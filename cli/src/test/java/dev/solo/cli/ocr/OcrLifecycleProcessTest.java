package dev.solo.cli.ocr;

import static dev.solo.cli.ocr.Fixtures.ascii;
import static dev.solo.cli.ocr.Fixtures.exchange;
import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.core.InstanceRecord;
import dev.solo.core.Registry;
import dev.solo.testing.OtherUser;
import dev.solo.testing.Signals;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resident's lifecycle as a user meets it, with real processes: {@code solo ocr status} and {@code
 * solo ocr stop} against a foreground and a background resident, a resident whose X server is killed
 * under it, and a resident whose socket directory was planted by another user (its warning is one line).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class OcrLifecycleProcessTest {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration END = Duration.ofSeconds(60);

    @TempDir
    Path home;

    private int[] range;
    private final List<Child> children = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        range = Fixtures.freeRange(3);
    }

    @AfterEach
    void killChildren() throws InterruptedException {
        for (Child c : children) c.close();
        // a --background resident is nobody's child: end it by its record, if a failure left it running
        for (InstanceRecord r : Registry.at(home).records()) {
            ProcessHandle.of(r.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private Child solo(String display, String... args) throws Exception {
        Child c = Child.solo(Fixtures.env(home, range, display), args);
        children.add(c);
        return c;
    }

    private static int port(String runningLine) {
        return Integer.parseInt(runningLine.replaceAll(".*running (?:in the background )?on port (\\d+).*", "$1"));
    }

    @Test
    void statusAndStopSpeakForTheResidentAndStopIt() throws Exception {
        Child none = solo(null, "ocr", "status");
        assertThat(none.exitCode(START)).isEqualTo(3);
        assertThat(none.out()).isEqualTo("solo ocr is not running on ports " + range[0] + "-" + range[1] + ".");

        try (Xvfb x = Xvfb.start()) {
            Child resident = solo(x.display, "ocr");
            int port = port(resident.awaitOut(l -> l.startsWith("solo ocr running on port"), START));
            resident.awaitErr(l -> l.contains("engine tesseract"), START);
            long pid = resident.process.pid();

            Child status = solo(null, "ocr", "status");
            assertThat(status.exitCode(START)).as(status.err()).isZero();
            List<String> lines = status.out().lines().toList();
            assertThat(lines.get(0))
                    .startsWith("solo ocr is running on port " + port + " (pid " + pid + ", version ")
                    .contains(", up ")
                    .containsPattern(", since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d ");
            assertThat(lines.subList(1, lines.size()))
                    .containsExactly(
                            "  engine  tesseract (eng), up to " + lines.get(1).replaceAll("\\D", "")
                                    + " images at once",
                            "  hotkey  ctrl+alt+q on display " + x.display,
                            "  log     none: it writes to the terminal it was started from (solo ocr --background"
                                    + " logs to a file)");

            // STOP acts: never from a raw request, even of this user; only through AUTH or the socket
            assertThat(exchange(port, ascii("STOP\n"))).startsWith("ERROR\n");
            assertThat(resident.process.isAlive()).isTrue();

            Child stop = solo(null, "ocr", "stop");
            assertThat(stop.exitCode(END)).as(stop.err()).isZero();
            assertThat(stop.out()).isEqualTo("solo ocr stopped (port " + port + ", pid " + pid + ").");
            assertThat(stop.err()).isEmpty();
            assertThat(resident.exitCode(END)).isZero();
            assertThat(resident.err()).contains("solo ocr: stopping: a client asked (STOP, as solo ocr stop sends)");
            assertThat(resident.out()).endsWith("solo ocr stopped.");
            assertNothingHeld();
        }

        Child again = solo(null, "ocr", "stop");
        assertThat(again.exitCode(START))
                .as("stop of what is not running succeeds, as an init system's")
                .isZero();
        assertThat(again.out())
                .isEqualTo("No solo ocr resident is running for this user (ports " + range[0] + "-" + range[1]
                        + "); nothing to stop.");
        assertThat(again.err()).isEmpty();
    }

    @Test
    void aBackgroundResidentShowsItsLogAndStops() throws Exception {
        Child start = solo(null, "ocr", "--background");
        assertThat(start.exitCode(START)).as(start.err()).isZero();
        int port = port(start.out());
        Path log = home.resolve("logs").resolve("solo-ocr.log");

        Child status = solo(null, "ocr", "status");
        assertThat(status.exitCode(START)).as(status.err()).isZero();
        assertThat(status.out())
                .contains("solo ocr is running on port " + port)
                .contains("  hotkey  none: no display (DISPLAY is not set)")
                .contains("  log     " + log);

        // its record deleted while it runs (a cleaned state directory): the log is unknown, not "the terminal"
        Path instances = Registry.at(home).instancesDir();
        try (var records = Files.list(instances)) {
            for (Path r : records.filter(f -> f.getFileName().toString().startsWith("solo-ocr"))
                    .toList()) {
                Files.delete(r);
            }
        }
        Child orphan = solo(null, "ocr", "status");
        assertThat(orphan.exitCode(START)).as(orphan.err()).isZero();
        assertThat(orphan.out())
                .contains("solo ocr is running on port " + port)
                .contains("  log     unknown: its registry record is gone from " + instances);

        Child stop = solo(null, "ocr", "stop");
        assertThat(stop.exitCode(END)).as(stop.err()).isZero();
        assertThat(stop.out()).startsWith("solo ocr stopped (port " + port + ", pid ");
        assertThat(Files.readString(log))
                .contains("solo ocr: stopping: a client asked (STOP, as solo ocr stop sends)", "solo ocr stopped.");
        assertNothingHeld();
    }

    /**
     * A resident stopped with SIGSTOP: {@code status} and {@code stop} name it (port, pid, stopped, how to
     * resume or end it) after one 2 s question, as {@code solo monitor status} does, exit 1 and signal
     * nothing; once resumed it answers and stops as usual.
     */
    @Test
    void aStoppedResidentIsNamedAndLeftAsItIs() throws Exception {
        Child start = solo(null, "ocr", "--background");
        assertThat(start.exitCode(START)).as(start.err()).isZero();
        int port = port(start.out());
        long pid = Registry.at(home).records().get(0).pid();
        Signals.stop(pid);
        try {
            String named = "the solo ocr resident on port " + port + " (pid " + pid + ") holds its port but does not"
                    + " answer within 2 s. It is stopped (SIGSTOP or Ctrl+Z): resume it with 'kill -CONT " + pid
                    + "', or end it with 'kill " + pid + "'.";
            Child status = solo(null, "ocr", "status");
            assertThat(status.exitCode(START)).as(status.err()).isEqualTo(1);
            assertThat(status.out()).isEqualTo("solo ocr is not usable: " + named);

            Child stop = solo(null, "ocr", "stop");
            assertThat(stop.exitCode(END)).as(stop.out()).isEqualTo(1);
            assertThat(stop.err()).isEqualTo("Error: " + named);
            assertThat(stop.out()).isEmpty();
            assertThat(ProcessHandle.of(pid)).as("not signalled").get().matches(ProcessHandle::isAlive);
        } finally {
            Signals.resume(pid);
        }
        Child stop = solo(null, "ocr", "stop");
        assertThat(stop.exitCode(END)).as(stop.err()).isZero();
        assertThat(stop.out()).isEqualTo("solo ocr stopped (port " + port + ", pid " + pid + ").");
        assertNothingHeld();
    }

    @Test
    void anXServerThatGoesAwayIsNamedAndTheResidentLetsGo() throws Exception {
        Child resident;
        int port;
        String display;
        try (Xvfb x = Xvfb.start()) {
            display = x.display;
            resident = solo(display, "ocr");
            port = port(resident.awaitOut(l -> l.startsWith("solo ocr running on port"), START));
            resident.awaitErr(l -> l.contains("hotkey ctrl+alt+q registered"), START);
            assertThat(Registry.at(home).records()).hasSize(1);
        } // Xvfb is killed here, under the resident

        assertThat(resident.exitCode(END)).as(resident.err()).isEqualTo(OcrCommand.DISPLAY_LOST);
        List<String> said =
                resident.err().lines().filter(l -> l.contains("went away")).toList();
        assertThat(said)
                .containsExactly("Error: the X display " + display + " went away (its X server ended: the desktop"
                        + " session closed, or Xvfb was stopped); solo ocr stopped, released port " + port
                        + " and exits with code 69. Start it again in a running desktop session ('solo ocr"
                        + " --background'), or use 'solo ocr --file', which needs no display.");
        assertThat(resident.err()).doesNotContain("Exception", "\tat ");
        assertThat(resident.out()).as("not the line of a stop asked for").doesNotContain("solo ocr stopped.");
        assertNothingHeld();

        Child status = solo(null, "ocr", "status");
        assertThat(status.exitCode(START)).isEqualTo(3);
    }

    /** A standalone --run-once whose X server is killed mid-selection says so in one line and exits 69. */
    @Test
    void aStandaloneRunOnceWhoseXServerGoesAwaySaysSo() throws Exception {
        Child client;
        String display;
        try (Xvfb x = Xvfb.start()) {
            display = x.display;
            client = solo(display, "ocr", "--run-once", "--stdout");
            client.awaitErr(l -> l.contains("overlay open on"), START);
        } // Xvfb is killed here, under the open overlay

        assertThat(client.exitCode(END)).as(client.err()).isEqualTo(OcrCommand.DISPLAY_LOST);
        assertThat(client.err().lines().filter(l -> l.contains("went away")))
                .containsExactly("Error: the X display " + display + " went away (its X server ended: the desktop"
                        + " session closed, or Xvfb was stopped); solo ocr --run-once read nothing and exits with"
                        + " code 69. Run it again in a running desktop session, or use 'solo ocr --file', which"
                        + " needs no display.");
        assertThat(client.err()).doesNotContain("Exception", "\tat ");
        assertThat(client.out()).isEmpty();
    }

    @Test
    void aSocketDirectoryPlantedByAnotherUserIsOneWarningLine() throws Exception {
        OtherUser.assume(); // making a directory another user's takes root
        Path run = Files.createDirectories(home.resolve("run"));
        Files.setOwner(run, run.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));

        Child resident = solo(null, "ocr");
        int port = port(resident.awaitOut(l -> l.startsWith("solo ocr running on port"), START));
        String warning = resident.awaitErr(l -> l.contains("no same-user socket"), START);
        assertThat(warning)
                .startsWith("solo ocr: warning: no same-user socket at "
                        + run.resolve("solo-ocr-r" + range[0] + "-" + range[1] + ".sock"))
                .contains("belongs to user 'nobody'")
                .endsWith("serving on TCP only");
        resident.awaitErr(l -> l.contains("engine tesseract"), START);
        assertThat(resident.err().lines())
                .as("no line of java.util.logging's own format")
                .noneMatch(l -> l.startsWith("WARNING:") || l.matches("^[A-Z][a-z]{2} \\d{1,2}, \\d{4} .*"));

        // no socket to reach it by: stop goes over TCP, after the resident's proof
        Child stop = solo(null, "ocr", "stop");
        assertThat(stop.exitCode(END)).as(stop.err()).isZero();
        assertThat(stop.out()).isEqualTo("solo ocr stopped (port " + port + ", pid " + resident.process.pid() + ").");
        assertThat(resident.exitCode(END)).isZero();
        assertNothingHeld();
    }

    /** No registry record, and every port of the range free again. */
    private void assertNothingHeld() throws Exception {
        assertThat(Registry.at(home).records()).isEmpty();
        for (int p = range[0]; p <= range[1]; p++) {
            try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getByName("127.0.0.1"))) {
                assertThat(s.getLocalPort()).isEqualTo(p);
            }
        }
    }
}
