package dev.solo.ocr.resident;

import dev.solo.ocr.capture.FrozenScreen;
import dev.solo.ocr.config.OcrConfig;
import dev.solo.ocr.engine.CancelledException;
import dev.solo.ocr.engine.OcrException;
import dev.solo.ocr.engine.Recognizer;
import dev.solo.ocr.overlay.ResultPopup;
import dev.solo.ocr.overlay.Selection;
import dev.solo.ocr.overlay.SelectionOverlay;
import java.awt.AWTError;
import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Where the user picks the region: the overlay on a real desktop, or nothing at all when there is
 * no display (a headless resident still serves {@code IMAGE}).
 *
 * <p>A job shows one popup: it counts down while the engine works, then shows the text (or the
 * error) for {@code OCR_POPUP_SEC} (three seconds by default). Log lines go to the log consumer, never to a popup.
 */
public interface Desktop {

    /**
     * Freezes the screens, lets the user select, and reads the region with {@code recognizer},
     * with the countdown popup.
     *
     * @throws CancelledException when the user pressed Esc
     * @throws OcrException when there is no display or OCR failed
     */
    String selectAndRead(Recognizer recognizer) throws InterruptedException;

    /** Tells the user that a job already runs: a short popup, unless a job's popup is showing. */
    void busy(String message);

    /** Whether the overlay is available. */
    boolean interactive();

    /**
     * Waits until the last job's popup has closed (it shows the text for three seconds), at most
     * {@code max}; a process about to exit calls it so the user sees the text.
     */
    void awaitPopup(Duration max) throws InterruptedException;

    /**
     * The desktop this JVM has: the overlay, or headless when AWT is headless. Opens the display at
     * once, so that one named but not there is an error here, before a port is claimed or a job taken.
     *
     * @throws OcrException naming {@code DISPLAY} when no X server answers there (a terminal multiplexer
     *     keeps the {@code DISPLAY} of a desktop session that has ended); AWT then cannot be used in
     *     this JVM at all
     */
    static Desktop detect(OcrConfig config, Consumer<String> log) {
        if (GraphicsEnvironment.isHeadless()) {
            return new Headless(
                    "no display (DISPLAY is not set): the hotkey and the selection overlay are unavailable;"
                            + " solo ocr --file still works",
                    log);
        }
        try {
            GraphicsEnvironment.getLocalGraphicsEnvironment();
        } catch (AWTError e) {
            String display = System.getenv("DISPLAY");
            String why = String.valueOf(e.getMessage()).replaceAll("\\.$", "");
            throw new OcrException("cannot open the display "
                    + (display == null ? "of this desktop" : "'" + display + "' named by DISPLAY") + ": " + why
                    + ". Run solo ocr in your desktop session, or set DISPLAY to an X server that runs and lets you"
                    + " in; solo ocr --file needs no display.");
        }
        return new Overlay(config.defaultMode() == OcrConfig.Mode.LASSO, config.deadline(), config.popup(), log);
    }

    /** The overlay on a real desktop. */
    final class Overlay implements Desktop {
        private final boolean lasso;
        private final Duration deadline;
        private final Duration popup;
        private final Consumer<String> log;
        private final AtomicReference<ResultPopup> last = new AtomicReference<>();

        Overlay(boolean lasso, Duration deadline, Duration popup, Consumer<String> log) {
            this.lasso = lasso;
            this.deadline = deadline;
            this.popup = popup;
            this.log = log;
        }

        @Override
        public String selectAndRead(Recognizer recognizer) throws InterruptedException {
            FrozenScreen screen;
            try {
                screen = FrozenScreen.capture();
            } catch (IllegalStateException e) {
                throw new OcrException("cannot capture the screen: " + e.getMessage(), e);
            }
            Selection s = SelectionOverlay.select(
                    screen,
                    lasso,
                    b -> log.accept("overlay open on " + b.x + "," + b.y + " " + b.width + "x" + b.height
                            + " — drag to select, Space toggles lasso, Esc cancels"));
            if (!(s instanceof Selection.Region region)) throw new CancelledException();
            BufferedImage image = screen.crop(region.bounds(), region.lasso());
            ResultPopup popup = ResultPopup.working(deadline.toSeconds(), this.popup);
            last.set(popup);
            try {
                String text = recognizer.read(image).text();
                popup.showText(text);
                return text;
            } catch (OcrException e) {
                popup.showError(e.getMessage());
                throw e;
            } catch (InterruptedException | RuntimeException e) {
                popup.close();
                throw e;
            }
        }

        @Override
        public void busy(String message) {
            log.accept(message);
            ResultPopup.flash(message);
        }

        @Override
        public boolean interactive() {
            return true;
        }

        @Override
        public void awaitPopup(Duration max) throws InterruptedException {
            ResultPopup p = last.get();
            if (p != null) p.awaitClosed(max);
        }
    }

    /** No display: every interactive request is an error that says why. */
    record Headless(String reason, Consumer<String> log) implements Desktop {
        @Override
        public String selectAndRead(Recognizer recognizer) {
            throw new OcrException(reason);
        }

        @Override
        public void busy(String message) {
            log.accept(message);
        }

        @Override
        public boolean interactive() {
            return false;
        }

        @Override
        public void awaitPopup(Duration max) {
            // no popups without a display
        }
    }
}
