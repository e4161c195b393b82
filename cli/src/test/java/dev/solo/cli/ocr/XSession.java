package dev.solo.cli.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.ocr.engine.tesseract.TesseractEngine;
import java.awt.image.BufferedImage;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * One X server (Xvfb) for a test class and the {@link XDriver} child that plays the user on it, with
 * the text window the tests select from: 100,100 700x200, two lines of 28 px text. Reads the
 * clipboard back with {@code xclip}, and the screen with a screenshot read by the embedded engine.
 */
final class XSession implements AutoCloseable {
    static final String TEXT = "Hello overlay world\nSecond line here";
    static final String DRAG = "drag 90 90 820 310";
    static final Duration START = Duration.ofSeconds(60);

    final Xvfb xvfb;
    private final Child driver;
    private int commands;
    private TesseractEngine reader;

    private XSession(Xvfb xvfb, Child driver) {
        this.xvfb = xvfb;
        this.driver = driver;
    }

    /** Starts the X server and the driver and shows the text window; skips the class without Xvfb. */
    static XSession start() throws Exception {
        Xvfb xvfb = Xvfb.start();
        Child driver = Child.start(Map.of("DISPLAY", xvfb.display), XDriver.class.getName());
        XSession x = new XSession(xvfb, driver);
        x.drive("show 100 100 700 200 28 " + TEXT.replace("\n", "|"));
        return x;
    }

    String display() {
        return xvfb.display;
    }

    /** Sends a command to the driver and waits for its OK. */
    synchronized void drive(String command) throws Exception {
        OutputStream in = driver.stdin();
        in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
        int n = ++commands;
        int[] seen = {0};
        driver.awaitOut(l -> (l.equals("OK") || l.startsWith("ERR")) && ++seen[0] == n, Duration.ofSeconds(30));
        assertThat(driver.out()).doesNotContain("ERR");
    }

    /** The clipboard's text, read by {@code xclip} (skipped without it, failed under CI=true). */
    String clipboard() throws Exception {
        String xclip = Xvfb.require(
                "xclip",
                "this test reads the clipboard back with it and is skipped."
                        + " Install it with 'apt-get install xclip' (.ci/run does).");
        ProcessBuilder pb = new ProcessBuilder(xclip, "-o", "-selection", "clipboard");
        pb.environment().put("DISPLAY", xvfb.display);
        Process p = pb.redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return text;
    }

    /**
     * How many windows titled {@code title} the X server has, as {@code xwininfo -root -tree} lists them
     * (skipped without it, failed under CI=true).
     */
    int windows(String title) throws Exception {
        String xwininfo = Xvfb.require(
                "xwininfo",
                "this test asks the X server which windows are open and is skipped."
                        + " Install it with 'apt-get install x11-utils' (.ci/run does).");
        ProcessBuilder pb = new ProcessBuilder(xwininfo, "-root", "-tree");
        pb.environment().put("DISPLAY", xvfb.display);
        Process p = pb.redirectErrorStream(true).start();
        String tree = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return (int) tree.lines().filter(l -> l.contains("\"" + title + "\"")).count();
    }

    /** What the screen shows in that rectangle (saved under target/ocr-screens/NAME.png too). */
    BufferedImage shot(String name, int x, int y, int w, int h) throws Exception {
        Path dir = Files.createDirectories(Child.target().resolve("ocr-screens"));
        Path file = dir.resolve(name + ".png");
        drive("shot " + x + " " + y + " " + w + " " + h + " " + file);
        return ImageIO.read(file.toFile());
    }

    /** The text of a screenshot, read in this JVM; empty when there is none. */
    synchronized String read(BufferedImage image) throws InterruptedException {
        if (reader == null) {
            System.setProperty(
                    "org.bytedeco.javacpp.cachedir",
                    Child.target().resolve("javacpp-cache").toString());
            reader = TesseractEngine.load(Child.target().resolve("ocr-test-cache"));
        }
        try {
            return reader.recognize(image);
        } catch (dev.solo.ocr.engine.NoTextException e) {
            return "";
        }
    }

    /** Starts {@code solo ocr} and returns its port once it says it runs. */
    static int startResident(Child resident, int[] range) throws InterruptedException {
        String line = resident.awaitOut(l -> l.startsWith("solo ocr running on port "), START);
        int port = Integer.parseInt(line.replaceAll("solo ocr running on port (\\d+).*", "$1"));
        assertThat(port).isBetween(range[0], range[1]);
        return port;
    }

    /** Waits for the {@code n}th overlay of {@code who} (its stderr says when one opens). */
    static void awaitOverlay(Child who, int n) throws InterruptedException {
        who.awaitErr(l -> l.contains("overlay open on 0,0 1280x800"), n, START);
    }

    @Override
    public void close() throws Exception {
        if (reader != null) reader.close();
        driver.close();
        xvfb.close();
    }
}
