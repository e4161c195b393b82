package dev.solo.cli.ocr;

import java.util.Locale;

/** Decides, before anything touches AWT, whether this JVM has a display. */
final class Headless {
    private Headless() {}

    /**
     * On Linux and the BSDs without {@code DISPLAY}, sets {@code java.awt.headless=true}, so AWT
     * never tries to open an X connection and {@code --file} works on servers and in CI.
     */
    static void configure() {
        if (System.getProperty("java.awt.headless") != null) return;
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("win") || os.contains("mac")) return;
        String display = System.getenv("DISPLAY");
        if (display == null || display.isBlank()) System.setProperty("java.awt.headless", "true");
    }
}
