package dev.solo.cli.ocr;

import java.awt.Color;
import java.awt.Font;
import java.awt.Robot;
import java.awt.event.InputEvent;
import java.awt.event.KeyEvent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import javax.swing.JLabel;
import javax.swing.JWindow;
import javax.swing.SwingUtilities;

/**
 * A child process on the test's X server that plays the user: it shows text windows and drives
 * mouse and keyboard with {@link Robot}. Commands on stdin, one per line; it answers {@code OK} (or
 * {@code ERR <why>}) on stdout after each:
 *
 * <pre>
 * show X Y W H SIZE line1|line2     a borderless white window with black text
 * drag X1 Y1 X2 Y2                  press, move in steps, release (left button)
 * path X1 Y1 X2 Y2 ...              press at the first point, move through the rest, release
 * key NAME                          press and release one key (KeyEvent.VK_NAME)
 * combo NAME NAME ...               press all in order, release in reverse
 * copy TEXT                         take the clipboard with TEXT
 * shot X Y W H PATH                 save that part of the screen as a PNG
 * quit
 * </pre>
 */
public final class XDriver {
    public static void main(String[] args) throws Exception {
        Robot robot = new Robot();
        robot.setAutoDelay(15);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] p = line.split(" ");
            try {
                switch (p[0]) {
                    case "show" -> show(p, line);
                    case "drag" -> path(robot, new int[] {i(p[1]), i(p[2]), i(p[3]), i(p[4])});
                    case "path" -> {
                        int[] pts = new int[p.length - 1];
                        for (int k = 1; k < p.length; k++) pts[k - 1] = i(p[k]);
                        path(robot, pts);
                    }
                    case "key" -> {
                        int code = code(p[1]);
                        robot.keyPress(code);
                        robot.keyRelease(code);
                    }
                    case "combo" -> {
                        for (int k = 1; k < p.length; k++) robot.keyPress(code(p[k]));
                        for (int k = p.length - 1; k >= 1; k--) robot.keyRelease(code(p[k]));
                    }
                    case "copy" -> {
                        String text = String.join(" ", java.util.Arrays.copyOfRange(p, 1, p.length));
                        java.awt.Toolkit.getDefaultToolkit()
                                .getSystemClipboard()
                                .setContents(new java.awt.datatransfer.StringSelection(text), null);
                    }
                    case "shot" ->
                        javax.imageio.ImageIO.write(
                                robot.createScreenCapture(new java.awt.Rectangle(i(p[1]), i(p[2]), i(p[3]), i(p[4]))),
                                "png",
                                new java.io.File(p[5]));
                    case "quit" -> System.exit(0);
                    default -> throw new IllegalArgumentException("unknown command " + p[0]);
                }
                robot.waitForIdle();
                System.out.println("OK");
            } catch (Exception e) {
                System.out.println("ERR " + e);
            }
            System.out.flush();
        }
        System.exit(0);
    }

    private static int i(String s) {
        return Integer.parseInt(s);
    }

    private static int code(String name) throws ReflectiveOperationException {
        return KeyEvent.class.getField("VK_" + name).getInt(null);
    }

    private static void show(String[] p, String line) throws Exception {
        int x = i(p[1]), y = i(p[2]), w = i(p[3]), h = i(p[4]), size = i(p[5]);
        String text = String.join(" ", java.util.Arrays.copyOfRange(p, 6, p.length));
        SwingUtilities.invokeAndWait(() -> {
            JWindow win = new JWindow();
            JLabel label = new JLabel("<html>" + text.replace("|", "<br>") + "</html>");
            label.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, size));
            label.setForeground(Color.BLACK);
            label.setOpaque(true);
            label.setBackground(Color.WHITE);
            label.setVerticalAlignment(JLabel.TOP);
            label.setBorder(javax.swing.BorderFactory.createEmptyBorder(10, 10, 10, 10));
            win.add(label);
            win.setBounds(x, y, w, h);
            win.setVisible(true);
        });
        // Wait until the X server shows the window's white background where the text goes.
        Robot r = new Robot();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!r.getPixelColor(x + 3, y + 3).equals(Color.WHITE)) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("window not shown within 5 s");
            r.delay(20);
        }
    }

    private static void path(Robot robot, int[] pts) {
        // A click where the drag starts: the overlay ignores a click, and on a bare X server the
        // first press after a window maps can be lost.
        robot.mouseMove(pts[0], pts[1]);
        robot.mousePress(InputEvent.BUTTON1_DOWN_MASK);
        robot.mouseRelease(InputEvent.BUTTON1_DOWN_MASK);
        robot.waitForIdle();
        robot.mousePress(InputEvent.BUTTON1_DOWN_MASK);
        for (int k = 2; k + 1 < pts.length; k += 2) {
            int fx = pts[k - 2], fy = pts[k - 1], tx = pts[k], ty = pts[k + 1];
            for (int s = 1; s <= 8; s++) robot.mouseMove(fx + (tx - fx) * s / 8, fy + (ty - fy) * s / 8);
        }
        robot.mouseRelease(InputEvent.BUTTON1_DOWN_MASK);
    }
}
