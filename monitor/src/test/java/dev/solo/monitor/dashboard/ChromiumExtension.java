package dev.solo.monitor.dashboard;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.solo.testing.Chromium;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The system's Chromium for the tests of one class, owned here: launched before the first test (the
 * first launch in a JVM also unpacks Playwright's driver, which takes a minute or two and is bounded by
 * {@link Chromium#launch}'s own timeout, not by the tests'), closed with its Playwright after the last.
 * Register it in a static field of a class marked {@code @Requires(Prerequisite.CHROMIUM)}:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ChromiumExtension browser = new ChromiumExtension();
 * }</pre>
 *
 * <p>Without a Chromium, {@code @Requires} reports every test of the class skipped with the reason and
 * what to install (a failure under {@code CI=true}) before this launches anything; used without it, the
 * launch itself aborts the class with the same reason. Playwright's assertions and every context from
 * {@link #newContext} wait up to {@value #PATIENCE_MS} ms.
 */
final class ChromiumExtension implements BeforeAllCallback, AfterAllCallback {
    static final int PATIENCE_MS = 15_000;

    private Chromium chromium;

    @Override
    public void beforeAll(ExtensionContext context) {
        PlaywrightAssertions.setDefaultAssertionTimeout(PATIENCE_MS);
        chromium = Chromium.launch();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (chromium == null) return;
        try {
            chromium.close();
        } finally {
            chromium = null;
        }
    }

    /** The browser, while the class's tests run. */
    Browser browser() {
        if (chromium == null) throw new IllegalStateException("Chromium runs only while the class's tests run");
        return chromium.browser();
    }

    /** A new context with Playwright's defaults (the caller closes it), see {@link #newContext(Browser.NewContextOptions)}. */
    BrowserContext newContext() {
        return newContext(new Browser.NewContextOptions());
    }

    /** A new context (the caller closes it) whose actions wait up to {@value #PATIENCE_MS} ms. */
    BrowserContext newContext(Browser.NewContextOptions options) {
        BrowserContext c = browser().newContext(options);
        c.setDefaultTimeout(PATIENCE_MS);
        return c;
    }
}
