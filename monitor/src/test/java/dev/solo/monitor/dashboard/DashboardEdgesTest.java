package dev.solo.monitor.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.solo.testing.Prerequisite;
import dev.solo.testing.Requires;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a person watching real sessions met at the edges of the page, in a real Chromium against a
 * real monitor: a card's activity dot that never went out, "0 tokens · $0" for a transcript the
 * monitor may not read, a page that scrolled sideways at 400 px, a long file name drawn over its
 * counts, and hook payloads full of HTML, bidi controls and very long lines. Without a Chromium every
 * test is reported skipped with the reason (a failure under {@code CI=true}).
 */
@Timeout(120)
@Requires(Prerequisite.CHROMIUM)
class DashboardEdgesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SESSION = "edge0001-0000-4000-8000-000000000001";
    static final String XSS =
            "<img src=x onerror=\"window.__xss=1\"><script>window.__xss=2</script><b onmouseover=\"window.__xss=3\">b</b>";
    static final String BIDI = "\u202Eevil.txt \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 \uD83D\uDE00";

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
                browser.newContext(new com.microsoft.playwright.Browser.NewContextOptions().setViewportSize(1280, 800));
        page = context.newPage();
    }

    @AfterEach
    void stop() {
        if (context != null) context.close();
        if (monitor != null) monitor.close();
    }

    void open(String pathAndQuery) {
        page.navigate(monitor.link(pathAndQuery));
        assertThat(page.locator("#conn")).hasAttribute("data-state", "live");
    }

    /** Posts one hook event of {@link #SESSION} (or {@code fields}' own session_id) with {@code fields}. */
    void post(String event, Map<String, Object> fields) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("session_id", SESSION);
        m.put("cwd", "/home/dev/proj/edge");
        m.put(
                "transcript_path",
                home.resolve(".claude/projects/-home-dev-proj-edge/" + SESSION + ".jsonl")
                        .toString());
        m.put("hook_event_name", event);
        m.putAll(fields);
        monitor.post(JSON.writeValueAsString(m));
    }

    Locator card() {
        return page.locator("#board .card").first();
    }

    @Test
    void theActivityDotOfACardGoesOutThirtySecondsAfterItsLastEvent() throws Exception {
        post("SessionStart", Map.of("source", "startup"));
        post("UserPromptSubmit", Map.of("prompt", "one prompt, then nothing"));
        open("/");
        assertThat(card().locator(".dot")).hasClass("dot on");
        // nothing more happens: the card's data stays the same, and the dot must still go out
        // (the tick turns it off in place; a redraw of the card draws it off: either way it is not "on")
        assertThat(card().locator(".dot"))
                .not()
                .hasClass(
                        Pattern.compile("(^|\\s)on(\\s|$)"),
                        new LocatorAssertions.HasClassOptions().setTimeout(45_000));
        assertThat(card().locator(".dot")).hasClass("dot");
        // the dropdown, drawn from the same last_seen, agrees
        page.locator("#stream-button").click();
        assertThat(page.locator("#stream-list [role=option] .dot.on")).hasCount(0);
    }

    @Test
    void aSessionThatJustEndedShowsNoActivity() throws Exception {
        post("SessionStart", Map.of("source", "startup"));
        post("UserPromptSubmit", Map.of("prompt", "one prompt, then the end"));
        post("SessionEnd", Map.of("reason", "prompt_input_exit"));
        open("/");
        // nothing runs, so the Ended section is open; its card's last event came a moment ago
        Locator ended = page.locator("#board details.ended .card");
        assertThat(ended).hasCount(1);
        assertThat(ended.locator(".status")).containsText("ended");
        assertThat(ended.locator(".dot")).hasClass("dot");
        page.locator("#stream-button").click();
        assertThat(page.locator("#stream-list [role=option]").filter(new Locator.FilterOptions().setHasText("ended")))
                .hasCount(1);
        assertThat(page.locator("#stream-list [role=option] .dot.on")).hasCount(0);
    }

    @Test
    void aTranscriptTheMonitorMayNotReadIsCostUnknownWithTheReasonNeverZero() throws Exception {
        java.nio.file.Files.createDirectories(home.resolve(".claude/projects"));
        post("SessionStart", Map.of("source", "startup", "transcript_path", "/etc/passwd"));
        post("UserPromptSubmit", Map.of("prompt", "hello", "transcript_path", "/etc/passwd"));
        post(
                "SessionStart",
                Map.of(
                        "session_id",
                        "edge0002-0000-4000-8000-000000000002",
                        "cwd",
                        "/home/dev/proj/fresh",
                        "source",
                        "startup"));
        open("/");
        Locator refused = page.locator("#board .card").filter(new Locator.FilterOptions().setHasText("edge ("));
        assertThat(refused.locator(".cost")).hasText("cost unknown: transcript not readable");
        assertThat(refused.locator(".cost"))
                .hasAttribute(
                        "title",
                        Pattern.compile("refused to read /etc/passwd: it is not inside the Claude config directory"));
        // a session whose transcript is not written yet says so, not "unknown"
        Locator fresh = page.locator("#board .card").filter(new Locator.FilterOptions().setHasText("fresh ("));
        assertThat(fresh.locator(".cost")).hasText("no transcript yet");
        assertThat(page.locator("#board")).not().containsText("0 tokens");
    }

    /** Claude Code 2.1.197's idle notification, a minute after a turn ended: its message once, not twice. */
    @Test
    void aSessionWaitingForInputSaysSoOnce() throws Exception {
        post("SessionStart", Map.of("source", "startup"));
        post("Stop", Map.of());
        post("Notification", Map.of("message", "Claude is waiting for your input", "notification_type", "idle_prompt"));
        open("/");
        assertThat(page.locator("#waiting")).containsText("Waiting for you: edge (edge0001)");
        String banner = page.locator("#waiting").innerText();
        assertThat(banner.split("Claude is waiting for your input", -1))
                .as(banner)
                .hasSize(2);
        assertThat(card().locator(".wait")).containsText("Claude is waiting for your input");
    }

    /** The per-session "answer prompts here" box on a waiting card sits on the line of its words. */
    @Test
    void theAnswerHereCheckboxSitsOnItsLabelsLine() throws Exception {
        post(
                "PreToolUse",
                Map.of("tool_name", "Write", "tool_use_id", "w1", "tool_input", Map.of("file_path", "/p/a.txt")));
        post("PermissionRequest", Map.of("tool_name", "Write", "tool_input", Map.of("file_path", "/p/a.txt")));
        open("/");
        Locator label = card().locator("label.answer-here");
        assertThat(label).containsText("answer prompts of this session here");
        Object gap = label.evaluate("l => { const box = l.querySelector('input').getBoundingClientRect();"
                + " const r = document.createRange(); r.selectNodeContents(l); const text = [...r.getClientRects()].pop();"
                + " return Math.abs((box.top + box.bottom) / 2 - (text.top + text.bottom) / 2); }");
        assertThat(((Number) gap).doubleValue())
                .as("px between the box's middle and the text's")
                .isLessThan(4);
    }

    @Test
    void atFourHundredPixelsNoViewScrollsSideways() throws Exception {
        post("SessionStart", Map.of("source", "startup"));
        post("UserPromptSubmit", Map.of("prompt", "narrow"));
        post("PreToolUse", Map.of("tool_name", "Bash", "tool_use_id", "t1", "tool_input", Map.of("command", "ls")));
        page.setViewportSize(400, 800);
        open("/?stream=" + SESSION);
        List<String> wide = new ArrayList<>();
        for (String view : List.of("board", "conversation", "events", "tools", "files", "agents")) {
            page.locator("#tab-" + view).click();
            assertThat(page.locator("#tab-" + view)).hasAttribute("aria-selected", "true");
            Object width = page.evaluate("() => document.documentElement.scrollWidth");
            if (((Number) width).intValue() > 400) wide.add(view + ": " + width + " px");
            page.screenshot(new Page.ScreenshotOptions().setPath(Screenshots.file("narrow-" + view)));
        }
        assertThat(wide).as("views wider than the 400 px window").isEmpty();
        // every tab and the export stay reachable without scrolling the page
        for (String id : List.of("#tab-agents", "#export", "#copy-link")) {
            Object right = page.locator(id).evaluate("e => e.getBoundingClientRect().right");
            assertThat(((Number) right).doubleValue()).as(id).isLessThanOrEqualTo(400);
        }
    }

    @Test
    void aLongFileNameIsCutInItsCellAndNeverDrawnOverTheCounts() throws Exception {
        String path = "/home/dev/proj/edge/" + "very-long-name-".repeat(40) + "end.txt";
        post("PreToolUse", Map.of("tool_name", "Read", "tool_use_id", "r1", "tool_input", Map.of("file_path", path)));
        post(
                "PostToolUse",
                Map.of(
                        "tool_name",
                        "Read",
                        "tool_use_id",
                        "r1",
                        "tool_input",
                        Map.of("file_path", path),
                        "tool_response",
                        Map.of("type", "text", "file", Map.of("filePath", path, "numLines", 1))));
        open("/?stream=" + SESSION + "&view=files");
        Locator link = page.locator("#files .path-link");
        assertThat(link).hasAttribute("title", path);
        double cellRight = ((Number) page.locator("#files td.path").evaluate("e => e.getBoundingClientRect().right"))
                .doubleValue();
        double nameRight =
                ((Number) link.locator(".base").evaluate("e => e.getBoundingClientRect().right")).doubleValue();
        double readsLeft = ((Number)
                        page.locator("#files td.num").first().evaluate("e => e.getBoundingClientRect().left"))
                .doubleValue();
        assertThat(nameRight).isLessThanOrEqualTo(cellRight).isLessThanOrEqualTo(readsLeft);
        assertThat(page.locator("#files td.num").first()).hasText("1");
        page.screenshot(new Page.ScreenshotOptions().setPath(Screenshots.file("files-long-name")));
    }

    /**
     * A prompt, a command, a path, an output, a title, a cwd, an event name and a notification that are
     * HTML, bidi overrides and 20,000-character lines: every view shows them as text, nothing runs,
     * no element comes out of them and the page does not grow sideways.
     */
    @Test
    void hostileStringsInEveryFieldAreShownAsTextAndRunNothing() throws Exception {
        String longLine = "x".repeat(20_000);
        String file = "/tmp/" + XSS + BIDI + "/" + longLine.substring(0, 300) + ".txt";
        Map<String, Object> base = Map.of("session_title", XSS, "cwd", "/tmp/" + XSS + "/" + BIDI);
        List<String> errors = new ArrayList<>();
        page.onPageError(errors::add);
        post("SessionStart", merge(base, Map.of("source", "startup", "model", XSS)));
        post("UserPromptSubmit", merge(base, Map.of("prompt", XSS + " " + BIDI + " " + longLine)));
        post(
                "PreToolUse",
                merge(
                        base,
                        Map.of(
                                "tool_name",
                                "Bash",
                                "tool_use_id",
                                "b1",
                                "tool_input",
                                Map.of("command", XSS + longLine))));
        post(
                "PostToolUse",
                merge(
                        base,
                        Map.of(
                                "tool_name",
                                "Bash",
                                "tool_use_id",
                                "b1",
                                "tool_input",
                                Map.of("command", XSS),
                                "tool_response",
                                Map.of("stdout", XSS + "\n" + longLine, "stderr", BIDI))));
        post(
                "PreToolUse",
                merge(
                        base,
                        Map.of(
                                "tool_name",
                                "Write",
                                "tool_use_id",
                                "w1",
                                "tool_input",
                                Map.of("file_path", file, "content", XSS))));
        post(
                "PostToolUse",
                merge(
                        base,
                        Map.of(
                                "tool_name",
                                "Write",
                                "tool_use_id",
                                "w1",
                                "tool_input",
                                Map.of("file_path", file, "content", XSS),
                                "tool_response",
                                Map.of("type", "create", "filePath", file, "content", XSS))));
        post(XSS, merge(base, Map.of("weird", XSS)));
        post("PermissionRequest", merge(base, Map.of("tool_name", "Edit", "tool_input", Map.of("file_path", file))));
        post("Notification", merge(base, Map.of("message", XSS + BIDI, "notification_type", "permission_prompt")));
        open("/");
        assertThat(card()).containsText("waiting for you");
        assertThat(page.locator("#waiting")).containsText("<img src=x");
        for (String view : List.of("conversation", "events", "tools", "files", "agents", "board")) {
            page.navigate(monitor.base() + "/?stream=" + SESSION + "&view=" + view);
            assertThat(page.locator("#tab-" + view)).hasAttribute("aria-selected", "true");
            if (view.equals("events")) {
                page.locator("#events .row")
                        .filter(new Locator.FilterOptions().setHasText("weird: "))
                        .click();
                assertThat(page.locator("#detail-body")).containsText("weird");
            }
            assertThat(page.evaluate("() => window.__xss === undefined"))
                    .as(view)
                    .isEqualTo(true);
            assertThat(page.evaluate(
                            "() => document.querySelectorAll('main img, main script, main b, #detail img').length"))
                    .as(view)
                    .isEqualTo(0);
            assertThat(((Number) page.evaluate("() => document.documentElement.scrollWidth")).intValue())
                    .as(view + " grows sideways")
                    .isLessThanOrEqualTo(1280);
            // A bidi override would make a file name read backwards: every one is shown by name
            assertThat(page.evaluate("() => document.body.innerText.includes('\\u202E')"))
                    .as(view + " shows a raw bidi override")
                    .isEqualTo(false);
            if (view.equals("files")) assertThat(page.locator("main")).containsText("\u2039RLO\u203Aevil.txt");
            page.screenshot(new Page.ScreenshotOptions().setPath(Screenshots.file("hostile-" + view)));
        }
        page.locator("#stream-button").click();
        assertThat(page.locator("#stream-list")).containsText("<img src=x");
        assertThat(page.evaluate("() => window.__xss === undefined")).isEqualTo(true);
        assertThat(errors).isEmpty();
    }

    static Map<String, Object> merge(Map<String, Object> a, Map<String, Object> b) {
        Map<String, Object> m = new LinkedHashMap<>(a);
        m.putAll(b);
        return m;
    }
}
