package dev.solo.cli.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.core.Registry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
 * {@code solo ocr} as real processes on a display that is not what it should be: a {@code DISPLAY}
 * no X server answers at (a terminal multiplexer keeps it after the desktop session ended), and an
 * X server without the RECORD extension the global hotkey needs. Every job either works ({@code
 * --file} needs no display) or stops with an error that names the display, before it holds a port
 * or a registry record; a {@code --background} start never reports a resident that is not there.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class OcrDisplayProcessTest {
    private static final Duration START = Duration.ofSeconds(60);
    private static final List<String> LINES = List.of("Quarterly report for Acme", "Revenue grew by 42 percent");

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
    }

    private Child solo(String display, String... args) throws Exception {
        Child c = Child.solo(Fixtures.env(home, range, display), args);
        children.add(c);
        return c;
    }

    @Test
    void aDisplayThatIsGoneBreaksNoJobAndStartsNoResident() throws Exception {
        String gone = Xvfb.unused();
        Path png = Files.write(home.resolve("sample.png"), Fixtures.png(LINES, 22));

        Child file = solo(gone, "ocr", "--file", png.toString());
        assertThat(file.exitCode(START)).as(file.err()).isZero();
        assertThat(Fixtures.words(file.out())).containsExactlyElementsOf(Fixtures.words(String.join(" ", LINES)));

        String named = "Error: cannot open the display '" + gone + "' named by DISPLAY";
        Child select = solo(gone, "ocr", "--run-once", "--stdout");
        assertThat(select.exitCode(START)).isEqualTo(OcrCommand.FAILED);
        assertThat(select.err()).startsWith(named).contains("solo ocr --file needs no display");
        assertThat(select.err()).doesNotContain("Exception", "\tat ");

        Child resident = solo(gone, "ocr");
        assertThat(resident.exitCode(START)).isEqualTo(OcrCommand.FAILED);
        assertThat(resident.err()).startsWith(named).doesNotContain("Exception", "hotkey");
        assertThat(resident.out()).doesNotContain("running");
        assertNothingHeld();

        Child background = solo(gone, "ocr", "--background");
        assertThat(background.exitCode(START)).isEqualTo(OcrCommand.FAILED);
        assertThat(background.err())
                .contains(named)
                .contains("Error: the background resident exited with code 1 before it answered; its log: "
                        + home.resolve("logs").resolve("solo-ocr.log"));
        assertThat(background.out()).doesNotContain("running");
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(home.resolve("logs").resolve("solo-ocr.log"))))
                .as("the resident's log is its user's only")
                .isEqualTo("rw-------");
        assertNothingHeld();
    }

    @Test
    void aHotkeyThatCannotBeHadIsAnErrorBeforeThePortAnswers() throws Exception {
        try (Xvfb noRecord = Xvfb.start(List.of("-extension", "RECORD"))) {
            // --background reports success once the port answers: the resident must have failed before
            Child background = solo(noRecord.display, "ocr", "--background");
            assertThat(background.exitCode(START)).as(background.out()).isEqualTo(OcrCommand.FAILED);
            assertThat(background.err())
                    .contains("Error: cannot register the hotkey ctrl+alt+q: ")
                    .doesNotContain("..")
                    .contains("Error: the background resident exited with code 1 before it answered");
            assertThat(background.out()).doesNotContain("running in the background");
            assertNothingHeld();

            Child foreground = solo(noRecord.display, "ocr");
            assertThat(foreground.exitCode(START)).isEqualTo(OcrCommand.FAILED);
            assertThat(foreground.err()).contains("Error: cannot register the hotkey ctrl+alt+q: ");
            assertThat(foreground.out()).doesNotContain("running");
            assertNothingHeld();
        }
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
