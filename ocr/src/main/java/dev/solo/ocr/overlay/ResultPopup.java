package dev.solo.ocr.overlay;

import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.swing.BorderFactory;
import javax.swing.JLabel;
import javax.swing.JTextArea;
import javax.swing.JWindow;
import javax.swing.SwingUtilities;
import javax.swing.Timer;

/**
 * The small always-on-top window in the bottom-right corner of the primary screen: it counts the
 * seconds left while OCR runs, then shows the text (or the error) for a few seconds and closes.
 * Every method may be called from any thread; the window lives on the event thread.
 *
 * <p><b>One popup at a time</b>, one per job: a new job's popup replaces the one still showing, and a
 * {@link #flash} (the hotkey pressed while a job runs) shows only when no popup is open, so it never
 * covers a job's text. Log lines never become popups.
 */
public final class ResultPopup {
    /** How long a {@link #flash} stays, in milliseconds. */
    private static final int FLASH_MILLIS = 3000;

    /** The popup on screen, or null; read and written on the event thread only. */
    private static ResultPopup current;

    private final JWindow window = new JWindow();
    private final JLabel status = new JLabel();
    private final JTextArea text = new JTextArea(4, 36);
    private final CountDownLatch closed = new CountDownLatch(1);
    private final int showMillis;
    private Timer countdown;

    private ResultPopup(int showMillis) {
        this.showMillis = showMillis;
    }

    /**
     * Opens the popup counting down from {@code seconds}, closing any other popup first; the text
     * it is given later stays for {@code show}.
     */
    public static ResultPopup working(long seconds, Duration show) {
        ResultPopup p = new ResultPopup((int) show.toMillis());
        SwingUtilities.invokeLater(() -> {
            if (current != null) current.dispose();
            current = p;
            p.open(seconds);
        });
        return p;
    }

    /** Shows a message (busy, say) for a few seconds, unless a popup is open already. */
    public static void flash(String message) {
        ResultPopup p = new ResultPopup(FLASH_MILLIS);
        SwingUtilities.invokeLater(() -> {
            if (current != null) {
                p.closed.countDown();
                return;
            }
            current = p;
            p.open(0);
            p.finish("solo ocr", message);
        });
    }

    /** Waits until this popup has closed, at most {@code max}; whether it did. */
    public boolean awaitClosed(Duration max) throws InterruptedException {
        return closed.await(max.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void open(long seconds) {
        window.setAlwaysOnTop(true);
        window.getContentPane().setLayout(new BorderLayout(4, 4));
        ((javax.swing.JComponent) window.getContentPane())
                .setBorder(BorderFactory.createCompoundBorder(
                        BorderFactory.createLineBorder(new Color(0x2f81f7), 2),
                        BorderFactory.createEmptyBorder(6, 8, 6, 8)));
        text.setEditable(false);
        text.setLineWrap(true);
        text.setWrapStyleWord(true);
        text.setVisible(false);
        window.add(status, BorderLayout.NORTH);
        window.add(text, BorderLayout.CENTER);
        long[] left = {seconds};
        status.setText("Reading text… " + left[0] + " s");
        if (seconds > 0) {
            countdown = new Timer(1000, e -> status.setText("Reading text… " + Math.max(0, --left[0]) + " s"));
            countdown.start();
        }
        place(new Dimension(320, 40));
        window.setVisible(true);
    }

    /** Shows the recognised text, then closes after a few seconds. */
    public void showText(String recognised) {
        SwingUtilities.invokeLater(() -> finish("Read " + recognised.length() + " characters", recognised));
    }

    /** Shows what went wrong, then closes after a few seconds. */
    public void showError(String message) {
        SwingUtilities.invokeLater(() -> finish("solo ocr", message));
    }

    /** Closes at once. */
    public void close() {
        SwingUtilities.invokeLater(this::dispose);
    }

    private void finish(String title, String body) {
        if (countdown != null) countdown.stop();
        status.setText(title);
        text.setText(body.length() > 600 ? body.substring(0, 600) + "…" : body);
        text.setVisible(true);
        window.pack();
        place(window.getSize());
        Timer close = new Timer(showMillis, e -> dispose());
        close.setRepeats(false);
        close.start();
    }

    private void dispose() {
        if (countdown != null) countdown.stop();
        window.dispose();
        if (current == this) current = null;
        closed.countDown();
    }

    private void place(Dimension size) {
        Rectangle screen = GraphicsEnvironment.getLocalGraphicsEnvironment().getMaximumWindowBounds();
        int w = Math.min(size.width, 480);
        int h = Math.min(size.height, 240);
        window.setBounds(screen.x + screen.width - w - 16, screen.y + screen.height - h - 16, w, h);
    }
}
