package dev.solo.cli.ocr;

import static dev.solo.cli.ocr.Fixtures.ascii;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code solo ocr} on a real X server (Xvfb), as real processes: the overlay driven by {@link
 * java.awt.Robot} in an {@link XDriver} child, the clipboard read back with {@code xclip}, the
 * hotkey pressed with Robot.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class OcrDesktopProcessTest {
    private static final Duration START = XSession.START;
    private static final String DRAG = XSession.DRAG;

    static XSession x;

    @TempDir
    Path home;

    private Map<String, String> env;
    private int[] range;
    private final List<Child> children = new ArrayList<>();

    @BeforeAll
    static void startX() throws Exception {
        x = XSession.start();
    }

    @AfterAll
    static void stopX() throws Exception {
        if (x != null) x.close();
    }

    @BeforeEach
    void setUp() throws IOException {
        range = Fixtures.freeRange(4);
        env = Fixtures.env(home, range, x.display());
    }

    @AfterEach
    void killChildren() throws InterruptedException {
        for (Child c : children) c.close();
    }

    static void drive(String command) throws Exception {
        x.drive(command);
    }

    private Child solo(String... args) throws IOException {
        Child c = Child.solo(env, args);
        children.add(c);
        return c;
    }

    /** The resident's port, once {@link #startResident()} has seen it. */
    private int port;

    private Child startResident() throws Exception {
        Child resident = solo("ocr");
        port = XSession.startResident(resident, range);
        return resident;
    }

    private static void awaitOverlay(Child who, int n) throws InterruptedException {
        XSession.awaitOverlay(who, n);
    }

    private static String clipboard() throws Exception {
        return x.clipboard();
    }

    @Test
    void stdoutAndClipboardThroughTheResidentAndBusyMeanwhile() throws Exception {
        Child resident = startResident();
        String token = Fixtures.token(home);
        Socket stdout = Fixtures.send(port, ascii("AUTH " + token + "\nSTDOUT\n"));
        awaitOverlay(resident, 1);
        // While the overlay is open: a raw request and a --run-once client are told "busy".
        assertThat(Fixtures.exchange(port, ascii("AUTH " + token + "\nCLIPBOARD\n")))
                .isEqualTo("ERROR\nBusy, please retry");
        Child busy = solo("ocr", "--run-once");
        assertThat(busy.exitCode(START)).isEqualTo(OcrCommand.BUSY);
        assertThat(busy.err()).contains("is busy with another job");
        drive(DRAG);
        String answer = Fixtures.readAll(stdout);
        assertThat(answer).isEqualTo("SUCCESS\nHello overlay world\nSecond line here");

        Child copy = solo("ocr", "--run-once");
        awaitOverlay(resident, 2);
        drive(DRAG);
        assertThat(copy.exitCode(START)).as(copy.err()).isZero();
        assertThat(copy.out()).isEmpty();
        assertThat(clipboard()).isEqualTo("Hello overlay world\nSecond line here");

        Child print = solo("ocr", "--run-once", "--stdout");
        awaitOverlay(resident, 3);
        drive(DRAG);
        assertThat(print.exitCode(START)).as(print.err()).isZero();
        assertThat(print.out()).isEqualTo("Hello overlay world\nSecond line here");
    }

    @Test
    void escCancelsWithAnErrorAndANonZeroExit() throws Exception {
        Child resident = startResident();
        Socket raw = Fixtures.send(port, ascii("AUTH " + Fixtures.token(home) + "\nSTDOUT\n"));
        awaitOverlay(resident, 1);
        drive("key ESCAPE");
        assertThat(Fixtures.readAll(raw)).isEqualTo("ERROR\ncancelled by the user");

        Child client = solo("ocr", "--run-once", "--stdout");
        awaitOverlay(resident, 2);
        drive("key ESCAPE");
        assertThat(client.exitCode(START)).isEqualTo(OcrCommand.CANCELLED);
        assertThat(client.err()).contains("cancelled by the user");
        assertThat(client.out()).isEmpty();
    }

    /**
     * An interrupted {@code --run-once} (here kill -9 of the client, over the same-user socket) and a raw
     * TCP client that hangs up take their overlays with them: the window is gone, the resident is not
     * busy, and the next {@code --run-once} gets an overlay at once instead of exit 75.
     */
    @Test
    void aClientThatGoesAwayTakesItsOverlayWithIt() throws Exception {
        Child resident = startResident();
        Child killed = solo("ocr", "--run-once", "--stdout");
        awaitOverlay(resident, 1);
        assertThat(x.windows(OVERLAY_TITLE)).isEqualTo(1);
        assertThat(dimmed(x.shot("client-gone-1-overlay-up", 100, 100, 700, 200)))
                .isTrue();
        killed.process.destroyForcibly(); // SIGKILL: no shutdown hook, the kernel closes its socket
        assertThat(killed.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        resident.awaitErr(l -> l.contains("STDOUT: the client went away; its selection was closed"), START);
        awaitNoOverlayWindow();
        assertThat(dimmed(x.shot("client-gone-2-overlay-closed", 100, 100, 700, 200)))
                .isFalse();

        Socket raw = Fixtures.send(port, ascii("AUTH " + Fixtures.token(home) + "\nCLIPBOARD\n"));
        awaitOverlay(resident, 2);
        raw.close();
        resident.awaitErr(l -> l.contains("CLIPBOARD: the client went away; its selection was closed"), START);
        awaitNoOverlayWindow();

        Child next = solo("ocr", "--run-once", "--stdout");
        awaitOverlay(resident, 3);
        drive(DRAG);
        assertThat(next.exitCode(START)).as(next.err()).isZero();
        assertThat(next.out()).isEqualTo(XSession.TEXT);
    }

    private static final String OVERLAY_TITLE = "solo ocr: select a region (Esc cancels, Space toggles lasso)";

    /** Waits, with a deadline, until the X server has no overlay window; each look is one xwininfo run. */
    private static void awaitNoOverlayWindow() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (x.windows(OVERLAY_TITLE) > 0) {
            assertThat(System.nanoTime() - deadline)
                    .as("the overlay window closed within 10 s")
                    .isNegative();
        }
    }

    /** Whether the text window's white shows dimmed, as under the overlay, rather than white. */
    private static boolean dimmed(java.awt.image.BufferedImage shot) {
        return (shot.getRGB(650, 180) & 0xff) < 0xe0;
    }

    @Test
    void lassoWhitesOutWhatIsOutsideThePolygon() throws Exception {
        Child client = solo("ocr", "--run-once", "--stdout");
        awaitOverlay(client, 1);
        drive("key SPACE");
        // An L: all of line one, then only the left part of line two ("Second"); the bounding box
        // holds "line here" too, but it lies outside the polygon and must be whited out.
        drive("path 90 90 820 90 820 140 218 140 218 310 90 310 90 90");
        assertThat(client.exitCode(START)).as(client.err()).isZero();
        assertThat(Fixtures.words(client.out())).containsExactly("hello", "overlay", "world", "second");
    }

    @Test
    void standaloneClipboardStillPastesAfterTheProcessExits() throws Exception {
        Child client = solo("ocr", "--run-once");
        awaitOverlay(client, 1);
        drive(DRAG);
        assertThat(client.exitCode(START)).as(client.err()).isZero();
        assertThat(client.process.isAlive()).isFalse();
        assertThat(clipboard()).isEqualTo("Hello overlay world\nSecond line here");
        List<ProcessHandle> holders = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains("ClipboardHolder"))
                .filter(p -> p.info().commandLine().orElse("").contains(System.getProperty("java.class.path")))
                .toList();
        assertThat(holders).hasSize(1);
        // Another program takes the clipboard: the holder lets go and exits.
        drive("copy something else");
        assertThat(holders.get(0).onExit().get(20, TimeUnit.SECONDS).isAlive()).isFalse();
        assertThat(clipboard()).isEqualTo("something else");
    }

    @Test
    void residentKilledMidRequestFallsBackToStandalone() throws Exception {
        Child resident = startResident();
        Child client = solo("ocr", "--run-once", "--stdout");
        awaitOverlay(resident, 1);
        resident.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        client.awaitErr(l -> l.contains("dropped the request") && l.contains("running standalone"), START);
        awaitOverlay(client, 1);
        drive(DRAG);
        assertThat(client.exitCode(START)).as(client.err()).isZero();
        assertThat(client.out()).isEqualTo("Hello overlay world\nSecond line here");
    }

    @Test
    void theHotkeyOpensTheOverlayAndCopies() throws Exception {
        env.put("HOTKEY", "ctrl+shift+o");
        Child resident = startResident();
        resident.awaitErr(l -> l.contains("hotkey ctrl+shift+o registered"), START);
        drive("combo CONTROL SHIFT O");
        awaitOverlay(resident, 1);
        drive(DRAG);
        resident.awaitErr(l -> l.contains("hotkey: copied 36 characters"), START);
        assertThat(clipboard()).isEqualTo("Hello overlay world\nSecond line here");
    }
}
