package dev.solo.monitor.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ColorScheme;
import dev.solo.testing.Prerequisite;
import dev.solo.testing.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page's frame (header, tabs, toolbars, footer) at 400, 900 and 1280 px, measured from the element
 * boxes in a real Chromium over the real Claude Code sessions of {@code fixtures/claude-code-sessions/}:
 * on a phone or a narrow pane the sessions get the screen, no label or button wraps inside its phrase,
 * and a table's header labels sit on their columns. Screenshots: {@code
 * monitor/target/screenshots/layout-*.png}, both themes.
 */
@Timeout(180)
@Requires(Prerequisite.CHROMIUM)
class BoardLayoutTest {
    /**
     * The labels, buttons, tabs and statistics of the frame whose text runs over more than one line:
     * "name: text", one each. A label that holds a control (within [15] s) counts as one phrase.
     */
    static final String WRAPPED = """
            () => {
              const out = [];
              const sel = '.top .brand, .top .conn, .top button, .tabs > *, .toolbar button, .toolbar label, .toolbar > span,'
                + ' .cost-strip .stat:not(.projects), .cost-strip .proj, .cost-strip .prices';
              for (const el of document.querySelectorAll(sel)) {
                if (!el.getClientRects().length) continue; // not shown
                const tops = [];
                const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
                for (let t = walk.nextNode(); t; t = walk.nextNode()) {
                  if (!t.textContent.trim()) continue;
                  const r = document.createRange();
                  r.selectNodeContents(t);
                  for (const b of r.getClientRects()) if (b.width > 0) tops.push(b.top + b.height / 2);
                }
                if (tops.length && Math.max(...tops) - Math.min(...tops) > 6)
                  out.push((el.id || el.className || el.tagName) + ': "' + el.textContent.trim().replace(/\\s+/g, ' ') + '"');
              }
              return out;
            }
            """;

    /** Where the board's sessions begin and how much the footer takes, in px from the viewport's top. */
    static final String FRAME = """
            () => {
              const board = document.getElementById('board').getBoundingClientRect();
              const keys = document.querySelector('.keys');
              const foot = keys && keys.getClientRects().length ? keys.getBoundingClientRect().height : 0;
              return { boardTop: Math.round(board.top), footer: Math.round(foot),
                       pageWidth: document.documentElement.scrollWidth };
            }
            """;

    /** Each header label's left edge against its column's cells in the rows shown: the largest gap, px. */
    static final String HEAD_OFFSETS = """
            (table) => {
              const shown = (el) => [...el.children].filter((c) => c.getClientRects().length);
              const head = shown(document.getElementById(table).previousElementSibling);
              const out = [];
              head.forEach((h, i) => {
                let worst = 0;
                for (const row of document.querySelectorAll('#' + table + ' .row')) {
                  const c = shown(row)[i];
                  if (c) worst = Math.max(worst, Math.abs(c.getBoundingClientRect().left - h.getBoundingClientRect().left),
                                               Math.abs(c.getBoundingClientRect().right - h.getBoundingClientRect().right));
                }
                out.push(Math.round(worst * 10) / 10);
              });
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
        monitor = Sessions.fed(home, false);
    }

    @AfterEach
    void stop() {
        if (monitor != null) monitor.close();
    }

    Page open(BrowserContext c, String path) {
        Page p = c.newPage();
        p.navigate(monitor.link(path));
        assertThat(p.locator("#conn")).hasAttribute("data-state", "live");
        return p;
    }

    /**
     * At 400 x 800 the header, the tabs and the board's toolbar took 320 px and the footer two lines:
     * the sessions now begin in the top quarter (the frame is about one line of header, one of tabs and
     * one of toolbar), and at every width and in both themes nothing in the frame wraps inside its phrase.
     */
    @Test
    void theSessionsGetTheScreenAndNoLabelWraps() throws Exception {
        List<String> problems = new ArrayList<>();
        for (ColorScheme scheme : new ColorScheme[] {ColorScheme.LIGHT, ColorScheme.DARK}) {
            for (int width : new int[] {400, 900, 1280}) {
                try (BrowserContext c = browser.newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                        .setViewportSize(width, 800)
                        .setColorScheme(scheme))) {
                    Page p = open(c, "/");
                    assertThat(p.locator("#board .card")).hasCount(3);
                    String where = width + " px " + scheme.name().toLowerCase() + ": ";
                    Path shot = Screenshots.file(
                            "layout-board-" + width + "-" + scheme.name().toLowerCase());
                    p.screenshot(new Page.ScreenshotOptions().setPath(shot));
                    if (width == 400) { // docs/board-narrow-{light,dark}.png, on request (see Screenshots)
                        Path narrow =
                                Screenshots.file("board-narrow-" + scheme.name().toLowerCase());
                        Files.copy(shot, narrow, StandardCopyOption.REPLACE_EXISTING);
                        Screenshots.publish(narrow);
                    }
                    @SuppressWarnings("unchecked")
                    Map<String, Number> frame = (Map<String, Number>) p.evaluate(FRAME);
                    if (frame.get("pageWidth").intValue() > width)
                        problems.add(where + "the page is " + frame.get("pageWidth") + " px wide");
                    int chrome = frame.get("boardTop").intValue()
                            + frame.get("footer").intValue();
                    if (width == 400 && chrome > 200)
                        problems.add(where + "the frame takes " + chrome + " of 800 px (board at "
                                + frame.get("boardTop") + ", footer " + frame.get("footer") + ")");
                    @SuppressWarnings("unchecked")
                    List<String> wrapped = (List<String>) p.evaluate(WRAPPED);
                    for (String w : wrapped) problems.add(where + "wraps: " + w);
                    if (p.locator("#board-more").isVisible()) { // folded: More unfolds the rest, from the keyboard
                        assertThat(p.locator("#hold-all")).isHidden();
                        p.locator("#board-more").focus();
                        p.keyboard().press("Enter");
                        assertThat(p.locator("#board-more")).hasAttribute("aria-expanded", "true");
                        assertThat(p.locator("#hold-all")).isVisible();
                        assertThat(p.locator("#import")).isVisible();
                        assertThat(p.locator("#cost-week")).isVisible();
                        p.screenshot(new Page.ScreenshotOptions()
                                .setPath(Screenshots.file("layout-board-more-" + width + "-"
                                        + scheme.name().toLowerCase())));
                        @SuppressWarnings("unchecked")
                        List<String> unfolded = (List<String>) p.evaluate(WRAPPED);
                        for (String w : unfolded) problems.add(where + "unfolded, wraps: " + w);
                    } else if (width == 400) problems.add(where + "no More button");
                    for (String view : new String[] {"events", "tools"}) {
                        p.navigate(monitor.link("/?view=" + view + "&stream=" + Sessions.ALPHA));
                        assertThat(p.locator("#" + view + " .row").first()).isVisible();
                        p.screenshot(new Page.ScreenshotOptions()
                                .setPath(Screenshots.file("layout-" + view + "-" + width + "-"
                                        + scheme.name().toLowerCase())));
                        @SuppressWarnings("unchecked")
                        List<String> w2 = (List<String>) p.evaluate(WRAPPED);
                        for (String w : w2) problems.add(where + view + " wraps: " + w);
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    /** The Tools header's labels (and the Events') sit on their columns at 1280 px: the last was 8 px off. */
    @Test
    void tableHeadersSitOnTheirColumns() throws Exception {
        try (BrowserContext c = browser.newContext(
                new com.microsoft.playwright.Browser.NewContextOptions().setViewportSize(1280, 800))) {
            for (String table : new String[] {"tools", "events"}) {
                Page p = open(c, "/?view=" + table + "&stream=" + Sessions.ALPHA);
                assertThat(p.locator("#" + table + " .row").nth(5)).isVisible();
                p.screenshot(new Page.ScreenshotOptions().setPath(Screenshots.file("layout-head-" + table + "-1280")));
                @SuppressWarnings("unchecked")
                List<Number> gaps = (List<Number>) p.evaluate(HEAD_OFFSETS, table);
                assertThat(gaps)
                        .as(table + ": each label's distance to its column, px")
                        .allSatisfy(g -> assertThat(g.doubleValue()).isLessThanOrEqualTo(1.0));
                p.close();
            }
        }
    }
}
