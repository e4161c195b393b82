package dev.solo.testing;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The system's Chromium, headless, driven by Playwright: never a downloaded browser. The module that
 * uses it declares the {@code com.microsoft.playwright:playwright} test dependency itself. Without a
 * Chromium the calling test is skipped (or fails under CI), see {@link Prerequisite#CHROMIUM}.
 */
public final class Chromium implements AutoCloseable {
    private final Playwright playwright;
    private final Browser browser;

    private Chromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    /** Launches it; the first launch in a JVM also unpacks Playwright's driver (allow a minute or two). */
    public static Chromium launch() {
        Path binary = Path.of(Prerequisite.CHROMIUM.require());
        Playwright pw = Playwright.create(
                new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            Browser browser = pw.chromium()
                    .launch(new BrowserType.LaunchOptions()
                            .setExecutablePath(binary)
                            .setHeadless(true)
                            .setTimeout(120_000)
                            .setArgs(List.of(
                                    "--no-sandbox",
                                    "--disable-gpu",
                                    "--disable-dev-shm-usage",
                                    "--disable-background-networking",
                                    "--disable-component-update",
                                    "--disable-sync",
                                    "--no-first-run")));
            return new Chromium(pw, browser);
        } catch (RuntimeException e) {
            pw.close();
            throw e;
        }
    }

    /** The browser, for new contexts and pages. */
    public Browser browser() {
        return browser;
    }

    @Override
    public void close() {
        try {
            browser.close();
        } finally {
            playwright.close();
        }
    }
}
