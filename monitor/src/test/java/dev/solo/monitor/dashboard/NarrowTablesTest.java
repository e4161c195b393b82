package dev.solo.monitor.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.solo.testing.Prerequisite;
import dev.solo.testing.Requires;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Events and Tools tables at 400 px (a phone, a narrow panel beside a terminal) and at 1280 px, in
 * a real Chromium over the real Claude Code sessions of {@code fixtures/claude-code-sessions/}: the page
 * never scrolls sideways, every cell of a row is shown inside the row, a short value (time, stream,
 * event, tool, status, duration, agent) is never cut, and no cell is narrower than the longest word of
 * its text (or 300 px, for a word longer than that: a summary may end in an ellipsis, its whole text is
 * its title and the detail pane). Screenshots: {@code monitor/target/screenshots/tables-*.png}.
 */
@Timeout(180)
@Requires(Prerequisite.CHROMIUM)
class NarrowTablesTest {
    /**
     * Problems of the rows in view, one line each. A cell whose class has {@code summary} may end in an
     * ellipsis (its whole text is its title and the detail pane), but each of its words must fit.
     */
    static final String CHECK = """
            (sel) => {
              const out = [];
              const WORD = 300; // a longer word (a path of 50 characters) may be cut in a summary
              const ctx = document.createElement('canvas').getContext('2d');
              for (const row of document.querySelectorAll(sel + ' .row')) {
                const r = row.getBoundingClientRect();
                for (const [i, c] of [...row.children].entries()) {
                  const name = `row ${row.dataset.index} cell ${i + 1} "${c.textContent}"`;
                  if (getComputedStyle(c).display === 'none') { out.push(name + ': hidden'); continue; }
                  const b = c.getBoundingClientRect();
                  if (!c.textContent) continue;
                  if (b.left < r.left - 1 || b.right > r.right + 1 || b.top < r.top - 1 || b.bottom > r.bottom + 1)
                    out.push(name + ': outside its row');
                  const st = getComputedStyle(c);
                  ctx.font = `${st.fontWeight} ${st.fontSize} ${st.fontFamily}`;
                  const words = c.textContent.split(/\\s+/).filter(Boolean);
                  const longest = Math.max(...words.map((w) => ctx.measureText(w).width));
                  if (Math.min(longest, WORD) > c.clientWidth + 1) out.push(name + `: ${c.clientWidth} px wide, its longest word ${Math.round(longest)} px`);
                  const cut = c.scrollWidth > c.clientWidth + 1;
                  if (cut && !c.classList.contains('summary')) out.push(name + ': cut');
                  if (cut && c.title !== c.textContent) out.push(name + ': cut, and not in its title');
                }
              }
              return out;
            }
            """;

    @RegisterExtension
    static final ChromiumExtension browser = new ChromiumExtension();

    @TempDir
    Path home;

    Monitor monitor;

    @BeforeEach
    void start() {
        monitor = Sessions.fed(home, true);
    }

    @AfterEach
    void stop() {
        if (monitor != null) monitor.close();
    }

    @Test
    void eventsAndToolsAreReadableAtFourHundredAndAtTwelveEightyPixels() throws Exception {
        List<String> problems = new ArrayList<>();
        for (int width : new int[] {400, 1280}) {
            try (BrowserContext c = browser.browser()
                    .newContext(new com.microsoft.playwright.Browser.NewContextOptions().setViewportSize(width, 800))) {
                Page p = c.newPage();
                check(p, width, "/?view=events", "#events", "events-all", problems);
                check(p, width, "/?view=events&stream=" + Sessions.ALPHA, "#events", "events-alpha", problems);
                check(p, width, "/?view=tools&stream=" + Sessions.ALPHA, "#tools", "tools-alpha", problems);
                check(p, width, "/?view=tools&stream=" + Sessions.INTER, "#tools", "tools-inter", problems);
            }
        }
        assertThat(problems).isEmpty();
    }

    void check(Page p, int width, String path, String table, String name, List<String> problems) throws Exception {
        p.navigate(monitor.link(path));
        assertThat(p.locator("#conn")).hasAttribute("data-state", "live");
        assertThat(p.locator(table + " .row").nth(5)).isVisible();
        p.screenshot(new Page.ScreenshotOptions().setPath(Screenshots.file("tables-" + name + "-" + width)));
        String where = width + " px " + name + ": ";
        Number pageWidth = (Number) p.evaluate("() => document.documentElement.scrollWidth");
        if (pageWidth.intValue() > width) problems.add(where + "the page is " + pageWidth + " px wide");
        @SuppressWarnings("unchecked")
        List<String> found = (List<String>) p.evaluate(CHECK, table);
        for (String f : found) problems.add(where + f);
    }
}
