package dev.solo.cli.ocr;

import java.util.Locale;

/** Decides, before anything touches AWT, whether this JVM has a display. */
final class Headless {
    private Headless() {}

    /**
     * Sets {@code java.awt.headless=true} unless it was set explicitly: always for a job that needs no
     * display ({@code --file} only reads a picture, so a stale {@code DISPLAY}, as a terminal
     * multiplexer keeps after the desktop session ended, cannot break it), and on Linux and the BSDs
     * without {@code DISPLAY}, so AWT never tries to open an X connection and {@code --file} works on
     * servers and in CI.
     *
     * @param needsDisplay whether the job selects from the screen (the resident, {@code --run-once})
     */
    static void configure(boolean needsDisplay) {
        if (System.getProperty("java.awt.headless") != null) return;
        if (!needsDisplay) {
            System.setProperty("java.awt.headless", "true");
            return;
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("win") || os.contains("mac")) return;
        String display = System.getenv("DISPLAY");
        if (display == null || display.isBlank()) System.setProperty("java.awt.headless", "true");
    }
}
