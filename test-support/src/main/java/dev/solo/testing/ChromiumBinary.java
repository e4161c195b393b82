package dev.solo.testing;

import java.util.Optional;

/** Where the system's Chromium is; no Playwright class is loaded to find out. */
final class ChromiumBinary {
    private ChromiumBinary() {}

    /** {@code -Dsolo.chromium=PATH}, else {@code chromium}, {@code chromium-browser} or {@code google-chrome} on PATH. */
    static Optional<String> locate() {
        return Programs.explicitOrFind(
                System.getProperty("solo.chromium"), "chromium", "chromium-browser", "google-chrome");
    }
}
