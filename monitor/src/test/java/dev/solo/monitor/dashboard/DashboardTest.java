package dev.solo.monitor.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ColorScheme;
import com.microsoft.playwright.options.WaitForSelectorState;
import dev.solo.testing.Prerequisite;
import dev.solo.testing.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real Chromium against a real monitor fed with the Claude Code fixtures over its
 * HTTP API. Every wait is one of Playwright's auto-waiting assertions with a deadline; nothing sleeps.
 * Without a Chromium every test is reported skipped with the reason (a failure under {@code CI=true}).
 *
 * <p>Screenshots go to {@code monitor/target/screenshots/}; {@code docs/dashboard-light.png} and
 * {@code docs/dashboard-dark.png} are refreshed only on request, see {@link Screenshots}.
 */
@Timeout(120)
@Requires(Prerequisite.CHROMIUM)
class DashboardTest {
    static final String MAIN = "777e68b4-1ad1-4f6c-9d81-64d0cae95a84";
    static final String PERMISSION = "12f459b8-ddba-474a-8dbb-05427ec73267";
    static final String SUBAGENT = "049615d1-d898-4fdb-ac17-53e8749b4b97";

    @RegisterExtension
    static final ChromiumExtension browser = new ChromiumExtension();

    @TempDir
    Path home;

    Monitor monitor;
    BrowserContext context;
    Page page;

    @BeforeEach
    void start() {
        monitor = new Monitor(home);
        context =
                browser.newContext(new com.microsoft.playwright.Browser.NewContextOptions().setViewportSize(1280, 760));
        page = context.newPage();
    }

    @AfterEach
    void stop() {
        if (context != null) context.close();
        if (monitor != null) monitor.close();
    }

    /**
     * Opens the page the way {@code solo monitor open} does, on the Events view (the board is the home
     * view; these are the Events view's tests), and waits for the live feed.
     */
    void open() {
        page.navigate(monitor.link("/?view=events"));
        assertThat(page).hasURL(Pattern.compile("/$|/\\?"));
        assertThat(page.locator("#conn")).hasAttribute("data-state", "live");
    }

    Locator rows() {
        return page.locator("#events .row");
    }

    Locator option(String text) {
        return page.locator("#stream-list [role=option]").filter(new Locator.FilterOptions().setHasText(text));
    }

    void pick(String text) {
        page.locator("#stream-button").click();
        option(text).click();
    }

    @Test
    void dropdownListsEveryStreamWithItsLabelAndSwitchesTheTable() {
        monitor.postFixture("SessionStart");
        monitor.postFixture("UserPromptSubmit");
        monitor.postFixture("SubagentStart");
        monitor.postFixture("PermissionRequest");
        open();
        assertThat(rows()).hasCount(4);
        page.locator("#stream-button").click();
        Locator options = page.locator("#stream-list [role=option]");
        assertThat(options).hasCount(4);
        assertThat(options.nth(0)).hasText("All streams (3)");
        // "waiting for you" first, then by last activity
        assertThat(options.nth(1)).containsText("claude-project (12f459b8)");
        assertThat(options.nth(1)).containsText("waiting for you");
        assertThat(options.nth(2)).containsText("claude-project (049615d1)");
        assertThat(options.nth(3)).containsText("claude-project (777e68b4)");
        option("777e68b4").click();
        assertThat(page.locator("#stream-button")).containsText("claude-project (777e68b4)");
        assertThat(rows()).hasCount(2);
        assertThat(page.locator("#events")).containsText("UserPromptSubmit");
        assertThat(page.locator("#events")).not().containsText("SubagentStart");
        assertThat(page).hasURL(Pattern.compile("stream=" + MAIN));
        // keyboard: open the list, go to "All streams", pick it
        page.locator("#stream-button").press("ArrowDown");
        page.locator("#stream-list").press("Home");
        page.locator("#stream-list").press("Enter");
        assertThat(page.locator("#stream-button")).containsText("All streams (3)");
        assertThat(rows()).hasCount(4);
        // a link with the stream and filters reopens the same view
        page.navigate(monitor.base() + "/?stream=" + MAIN + "&view=events&event=SessionStart");
        assertThat(page.locator("#stream-button")).containsText("claude-project (777e68b4)");
        assertThat(rows()).hasCount(1);
        assertThat(page.locator("#event-filter")).hasValue("SessionStart");
    }

    @Test
    void aNewEventAppearsLiveWithoutAReload() {
        monitor.postFixture("SessionStart");
        open();
        assertThat(rows()).hasCount(1);
        page.evaluate("() => { window.__sameDocument = true; }");
        monitor.postFixture("PreToolUse");
        assertThat(rows().filter(new Locator.FilterOptions().setHasText("PreToolUse")))
                .isVisible();
        assertThat(rows().last()).containsText("true"); // the Bash command is the summary
        // pushed over the live feed into the page that was open, not found by reloading it
        Assertions.assertThat(page.evaluate("() => window.__sameDocument === true"))
                .isEqualTo(true);
    }

    @Test
    void scrollingUpOrPausingKeepsTheViewStillUntilJumpToLive() {
        for (int i = 0; i < 120; i++)
            monitor.post("{\"session_id\":\"s1\",\"hook_event_name\":\"Tick\",\"n\":\"tick " + i + "\"}");
        open();
        Locator jump = page.locator("#jump");
        assertThat(jump).isHidden();
        page.locator("#events").evaluate("e => e.scrollTop = 0");
        assertThat(jump).isVisible();
        monitor.post("{\"session_id\":\"s1\",\"hook_event_name\":\"Tick\",\"n\":\"tick late\"}");
        assertThat(jump).hasText("Jump to live (1 new)");
        assertThat(page.locator("#events .row").first()).containsText("tick 0"); // still where we were
        jump.click();
        assertThat(page.locator("#events .row").last()).containsText("tick late");
        assertThat(jump).isHidden();

        page.locator("#pause").click();
        assertThat(page.locator("#pause")).hasAttribute("aria-pressed", "true");
        monitor.post("{\"session_id\":\"s1\",\"hook_event_name\":\"Tick\",\"n\":\"while paused\"}");
        assertThat(page.locator("#events-info")).containsText("1 new while paused");
        assertThat(page.locator("#events")).not().containsText("while paused");
        page.locator("#pause").click();
        assertThat(page.locator("#events .row").last()).containsText("while paused");
    }

    @Test
    void aLongHistoryIsPagedThroughABoundedWindowOfVirtualRows() throws Exception {
        storeTicks("long", 2500);
        open();
        Locator events = page.locator("#events");
        Locator first = page.locator("#events .row").first();
        assertThat(page.locator("#events-info")).containsText("200 shown");
        scrollToTheOldest();
        assertThat(first).containsText("tick 00000");
        assertThat(page.locator("#events-info")).containsText("2,000 shown");
        Assertions.assertThat(page.locator("#events .row").count()).isLessThan(100); // only the rows in view
        monitor.post("{\"session_id\":\"long\",\"hook_event_name\":\"Tick\",\"n\":\"tick late\"}");
        assertThat(page.locator("#jump")).hasText("Jump to live (1 new)");
        page.locator("#jump").click();
        assertThat(page.locator("#events .row").last()).containsText("tick late");
        assertThat(page.locator("#events .row").last()).isInViewport();
    }

    /** {@code n} events "tick 00000"… of {@code stream}, straight into the store. */
    void storeTicks(String stream, int n) throws Exception {
        var ingest = new dev.solo.monitor.ingest.Ingest();
        var pending = new java.util.ArrayList<java.util.concurrent.CompletableFuture<?>>();
        for (int i = 0; i < n; i++) {
            String json = String.format(
                    "{\"session_id\":\"%s\",\"hook_event_name\":\"Tick\",\"n\":\"tick %05d\"}", stream, i);
            pending.add(monitor.server()
                    .store()
                    .append(ingest.hook(json.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        }
        pending.forEach(java.util.concurrent.CompletableFuture::join);
    }

    /** Scrolls the events to the top until the oldest ("tick 00000") is the first row, a page at a time. */
    void scrollToTheOldest() {
        Locator first = page.locator("#events .row").first();
        for (int i = 0; i < 30 && !first.textContent().contains("tick 00000"); i++) {
            String before = first.textContent();
            page.locator("#events").evaluate("e => e.scrollTop = 0");
            assertThat(first).not().hasText(before);
        }
    }

    /**
     * A full window (2,000 rows) read in the middle while live rows arrive: each live row drops the oldest,
     * and the rows you read stay where they are (the page scrolls back by as many rows, once per frame).
     */
    @Test
    void liveRowsIntoAFullWindowDoNotMoveTheRowsYouRead() throws Exception {
        storeTicks("full", 2000);
        open();
        Locator events = page.locator("#events");
        scrollToTheOldest();
        assertThat(page.locator("#events-info")).hasText("2,000 shown"); // all of it, the newest included
        events.evaluate("e => e.scrollTop = e.scrollHeight / 2");
        String topRow = "e => { const b = e.getBoundingClientRect();"
                + " return document.elementFromPoint(b.left + 40, b.top + 45).closest('.row').textContent; }";
        String reading = (String) events.evaluate(topRow);
        for (int i = 0; i < 5; i++)
            monitor.post("{\"session_id\":\"full\",\"hook_event_name\":\"Tick\",\"n\":\"late " + i + "\"}");
        assertThat(page.locator("#jump")).hasText("Jump to live (5 new)");
        assertThat(page.locator("#events-info")).containsText("older above"); // five were dropped
        Assertions.assertThat(events.evaluate(topRow)).isEqualTo(reading);
    }

    @Test
    void aPermissionRequestMarksItsStreamWaitingAndTheNextToolEventClearsIt() {
        monitor.postFixture("SessionStart");
        open();
        String request = Monitor.fixture("PermissionRequest");
        monitor.post(request);
        assertThat(page).hasTitle(Pattern.compile("Waiting for you: claude-project \\(12f459b8\\)"));
        assertThat(page).hasTitle(Pattern.compile("touch probe-allow.txt"));
        assertThat(page.locator("#waiting")).containsText("Permission needed for Bash");
        page.locator("#stream-button").click();
        assertThat(option("12f459b8")).hasClass(Pattern.compile("waiting"));
        assertThat(option("12f459b8")).containsText("waiting for you");
        assertThat(option("12f459b8")).containsText("since");
        page.keyboard().press("Escape");
        monitor.post(request.replace("\"PermissionRequest\"", "\"PostToolUse\"")
                .replace("\"tool_input\"", "\"tool_use_id\":\"toolu_perm\",\"tool_input\""));
        assertThat(page).not().hasTitle(Pattern.compile("Waiting"));
        assertThat(page.locator("#waiting")).isHidden();
        page.locator("#stream-button").click();
        assertThat(option("12f459b8")).containsText("working");
        assertThat(option("12f459b8")).not().hasClass(Pattern.compile("waiting"));
    }

    @Test
    void aPairedToolCallShowsItsDurationAndAFailureItsError() {
        monitor.postFixture("PreToolUse");
        monitor.postFixture("PostToolUse");
        monitor.postFixture("PostToolUseFailure");
        page.navigate(monitor.link("/?stream=" + MAIN + "&view=tools"));
        Locator calls = page.locator("#tools .row");
        assertThat(calls).hasCount(2);
        assertThat(calls.nth(0)).containsText("Bash");
        assertThat(calls.nth(0)).containsText("ok");
        assertThat(calls.nth(0)).containsText("90 ms");
        assertThat(calls.nth(0)).containsText("main");
        assertThat(calls.nth(1)).containsText("failed");
        assertThat(calls.nth(1)).containsText("Exit code 1");
        // the export is the stream as JSON Lines
        var download = page.waitForDownload(() -> page.locator("#export").click());
        // named after the stream's label and its whole id: "<project>-<session id>.jsonl"
        Assertions.assertThat(download.suggestedFilename()).matches("[A-Za-z0-9._-]+-" + MAIN + "\\.jsonl");
        try {
            Assertions.assertThat(Files.readAllLines(download.path()))
                    .hasSize(3)
                    .allMatch(l -> l.startsWith("{\"id\":"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // a subagent's call says whose it is
        monitor.postFixture("variants/PreToolUse.subagent-Bash-2.1.283");
        page.navigate(monitor.base() + "/?stream=62dfedaf-72b8-418a-a11c-30c406412c34&view=tools");
        assertThat(page.locator("#tools .row")).containsText("general-purpose af40843");
        assertThat(page.locator("#tools .row")).containsText("running");
    }

    @Test
    void anEditShowsItsDiff() {
        monitor.postFixture("variants/PostToolUse.Edit");
        page.navigate(monitor.link("/?stream=" + MAIN + "&view=files"));
        assertThat(page.locator("#files")).containsText(".leopold/PLAN.md");
        assertThat(page.locator("#diff .patch .del")).hasText("-- [ ] item one");
        assertThat(page.locator("#diff .patch .add")).hasText("+- [ ] item one (edited)");
        assertThat(page.locator("#diff .patch .hunk")).hasText("@@ -1,2 +1,2 @@");
    }

    @Test
    void unknownEventsAreShownAndOpenInTheDetailPane() {
        open();
        monitor.post("{\"session_id\":\"s-unknown-1\",\"hook_event_name\":\"FancyNewEvent\",\"cwd\":\"/tmp/x\","
                + "\"shiny\":\"brand new field\",\"nested\":{\"deep\":[1,2,3]}}");
        Locator row = rows().filter(new Locator.FilterOptions().setHasText("FancyNewEvent"));
        assertThat(row).containsText("shiny: brand new field");
        // keyboard: focus the table, move to the last row; the detail pane shows the whole event
        page.locator("#events").focus();
        page.keyboard().press("End");
        assertThat(row).hasAttribute("aria-selected", "true");
        assertThat(page.locator("#detail")).isVisible();
        assertThat(page.locator("#detail .json")).containsText("\"brand new field\"");
        assertThat(page.locator("#detail .json")).containsText("deep");
        page.keyboard().press("Escape");
        assertThat(page.locator("#detail")).isHidden();
        // the search is answered by the server, over the whole history
        page.locator("#search").fill("brand new");
        page.locator("#search").press("Enter");
        assertThat(rows()).hasCount(1);
        assertThat(page).hasURL(Pattern.compile("q=brand\\+new"));
    }

    @Test
    void thePageRecoversAfterABreakAndShowsWhatItMissed() {
        monitor.postFixture("SessionStart");
        open();
        assertThat(rows()).hasCount(1);
        context.setOffline(true);
        assertThat(page.locator("#conn")).hasAttribute("data-state", Pattern.compile("reconnecting|offline"));
        monitor.postFixture("UserPromptSubmit");
        monitor.postFixture("PreToolUse");
        context.setOffline(false);
        assertThat(page.locator("#conn")).hasAttribute("data-state", "live");
        assertThat(rows()).hasCount(3);
        monitor.postFixture("PostToolUse");
        assertThat(rows()).hasCount(4);
        assertThat(rows().filter(new Locator.FilterOptions().setHasText("PreToolUse")))
                .hasCount(1);
    }

    @Test
    void aMonitorRestartEndsTheSessionAndAFreshLoginLinkShowsWhatWasMissed() {
        monitor.postFixture("SessionStart");
        open();
        assertThat(rows()).hasCount(1);
        monitor.stop();
        assertThat(page.locator("#conn")).hasAttribute("data-state", Pattern.compile("reconnecting|offline"));
        monitor.startAgain();
        assertThat(page.locator("#conn")).hasAttribute("data-state", "unauthorized");
        // the command that reaches this monitor (a named one, "dash"), run where the monitor runs
        assertThat(page.locator("#open-command")).hasText("solo monitor open --name dash");
        assertThat(page.locator("#unauthorized")).containsText("prints that link for you to open here");
        monitor.postFixture("UserPromptSubmit");
        page.navigate(monitor.link());
        assertThat(page.locator("#conn")).hasAttribute("data-state", "live");
        assertThat(rows()).hasCount(2);
    }

    @Test
    void theAgentsViewShowsTheSubagentTree() {
        monitor.postFixture("SubagentStart");
        monitor.postFixture("SubagentStop");
        page.navigate(monitor.link("/?stream=" + SUBAGENT + "&view=agents"));
        Locator agents = page.locator("#agents");
        assertThat(agents).containsText("main agent");
        assertThat(agents).containsText("general-purpose");
        assertThat(agents).containsText("acb594f61d1631b05");
        assertThat(agents.locator(".pill.p-done")).hasText("done");
        page.locator("#agents details[data-id=acb594f61d1631b05] > summary").click();
        assertThat(agents).containsText("PONG");
    }

    @Test
    void streamsThatGetEventsWhileYouLookElsewhereCountThemUnread() {
        monitor.postFixture("SessionStart");
        page.navigate(monitor.link("/?stream=" + MAIN + "&view=events"));
        assertThat(page.locator("#conn")).hasAttribute("data-state", "live");
        monitor.postFixture("SubagentStart");
        monitor.postFixture("SubagentStop");
        page.locator("#stream-button").click();
        assertThat(option("049615d1").locator(".badge")).hasText("2 unread");
        assertThat(option("049615d1").locator(".dot.on")).hasCount(1); // active in the last 30 s
        option("049615d1").click();
        page.locator("#stream-button").click();
        assertThat(option("049615d1").locator(".badge")).hasCount(0);
    }

    @Test
    void aPageOpenedWithoutTheTokenGetsNoData() {
        monitor.postFixture("UserPromptSubmit");
        page.navigate(monitor.base() + "/");
        assertThat(page.locator("#unauthorized")).isVisible();
        assertThat(page.locator("#unauthorized")).containsText("solo monitor open");
        assertThat(page.locator("#conn")).hasAttribute("data-state", "unauthorized");
        Assertions.assertThat(rows().count()).isZero();
        Object status = page.evaluate("fetch('/api/events').then(r => r.status)");
        Assertions.assertThat(status).isEqualTo(401);
        Assertions.assertThat(page.content()).doesNotContain("Do these steps");
    }

    /** Every visible piece of text against its background, in WCAG contrast ratio; those under 4.5. */
    static final String LOW_CONTRAST = """
            () => {
              const rgb = (c) => { const m = c.match(/[\\d.]+/g).map(Number);
                return c.startsWith('color(') ? [m[0] * 255, m[1] * 255, m[2] * 255, m[3] ?? 1] : [m[0], m[1], m[2], m[3] ?? 1]; };
              const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
                return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
              const bg = (el) => { for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor);
                if (c[3] > 0.5) return c; } return [255, 255, 255, 1]; };
              const bad = [];
              for (const el of document.querySelectorAll('body *')) {
                if (![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
                const r = el.getBoundingClientRect();
                const cs = getComputedStyle(el);
                if (!r.width || !r.height || cs.visibility === 'hidden' || el.closest('[hidden]') || el.closest('.toast') || el.closest('.sr-only')) continue;
                const a = lum(rgb(cs.color)); const b = lum(bg(el));
                const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
                if (ratio < 4.5) bad.push(`${el.tagName}.${el.className} "${el.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}`);
              }
              return bad;
            }""";

    @Test
    void textHasAAContrastInBothThemes() {
        Scenes.busy(monitor);
        for (ColorScheme scheme : new ColorScheme[] {ColorScheme.LIGHT, ColorScheme.DARK}) {
            try (BrowserContext c = browser.browser()
                    .newContext(new com.microsoft.playwright.Browser.NewContextOptions().setColorScheme(scheme))) {
                Page p = c.newPage();
                p.navigate(monitor.link("/?view=events"));
                assertThat(p.locator("#events .row")).hasCount(16);
                p.locator("#events .row").nth(5).click();
                assertThat(p.locator("#detail .json")).isVisible();
                p.locator("#stream-button").click();
                assertThat(p.locator("#stream-list")).isVisible();
                Assertions.assertThat((java.util.List<?>) p.evaluate(LOW_CONTRAST))
                        .as(scheme.toString())
                        .isEmpty();
                p.keyboard().press("Escape");
                p.navigate(monitor.base() + "/?stream=" + MAIN + "&view=tools");
                assertThat(p.locator("#tools .row").first()).isVisible();
                Assertions.assertThat((java.util.List<?>) p.evaluate(LOW_CONTRAST))
                        .as(scheme + " tools")
                        .isEmpty();
                p.navigate(monitor.base() + "/?stream=" + MAIN + "&view=files");
                assertThat(p.locator("#diff .patch")).isVisible();
                Assertions.assertThat((java.util.List<?>) p.evaluate(LOW_CONTRAST))
                        .as(scheme + " files")
                        .isEmpty();
            }
        }
    }

    @Test
    void screenshotsInBothThemes() throws Exception {
        Scenes.busy(monitor);
        for (ColorScheme scheme : new ColorScheme[] {ColorScheme.LIGHT, ColorScheme.DARK}) {
            try (BrowserContext c = browser.browser()
                    .newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                            .setViewportSize(1280, 720)
                            .setColorScheme(scheme))) {
                Page p = c.newPage();
                p.navigate(monitor.link("/?stream=" + MAIN + "&view=events"));
                assertThat(p.locator("#conn")).hasAttribute("data-state", "live");
                assertThat(p.locator("#events .row").first()).isVisible();
                String theme = scheme == ColorScheme.DARK ? "dark" : "light";
                assertThat(p.locator("html")).hasAttribute("data-theme", theme);
                p.locator("#events .row")
                        .filter(new Locator.FilterOptions().setHasText("PostToolUse"))
                        .first()
                        .click();
                p.locator("#detail .json").waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.VISIBLE));
                Path file = Screenshots.file("dashboard-" + theme);
                p.screenshot(new Page.ScreenshotOptions().setPath(file));
                Assertions.assertThat(Files.size(file)).isLessThan(300 * 1024);
                Screenshots.publish(file);
                // the other views, for a look
                Path shots = Screenshots.DIR;
                p.locator("#stream-button").click();
                p.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("dropdown-" + theme + ".png")));
                p.keyboard().press("Escape");
                for (String view : new String[] {"tools", "files", "agents"}) {
                    p.navigate(monitor.base() + "/?stream=" + MAIN + "&view=" + view);
                    assertThat(p.locator("#view-" + view)).isVisible();
                    assertThat(p.locator("#" + view + " > *").first()).isVisible();
                    p.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve(view + "-" + theme + ".png")));
                }
            }
        }
        // the toggle switches and is remembered
        page.navigate(monitor.link("/?view=events"));
        String before = page.locator("html").getAttribute("data-theme");
        page.locator("#theme").click();
        String after = before.equals("dark") ? "light" : "dark";
        assertThat(page.locator("html")).hasAttribute("data-theme", after);
        page.reload();
        assertThat(page.locator("html")).hasAttribute("data-theme", after);
    }
}
