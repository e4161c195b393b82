package dev.solo.monitor.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.solo.monitor.transcript.ClaudeHome;
import dev.solo.testing.Prerequisite;
import dev.solo.testing.Requires;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The board, the conversation, the cost strip, notifications and a held permission prompt, in a real
 * Chromium, over real Claude Code sessions (their transcripts and hook payloads, see {@code
 * fixtures/claude-code-sessions/SOURCES.md}) posted to a real monitor. Without a Chromium every test
 * is reported skipped with the reason (a failure under {@code CI=true}).
 *
 * <p>Screenshots go to {@code monitor/target/screenshots/}; the pictures in {@code docs/} (board,
 * conversation, cost strip, held prompt, both themes) come from {@link #screenshotsForTheDocs} and are
 * refreshed only on request, see {@link Screenshots}.
 */
@Timeout(180)
@Requires(Prerequisite.CHROMIUM)
class MissionControlTest {
    @RegisterExtension
    static final ChromiumExtension browser = new ChromiumExtension();

    @TempDir
    Path home;

    Path claude;
    Monitor monitor;
    BrowserContext context;
    Page page;

    @BeforeEach
    void start() {
        claude = home.resolve(".claude");
        Sessions.install(claude);
        monitor = new Monitor(home, new ClaudeHome(claude));
        context = browser.newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                .setViewportSize(1400, 900)
                .setPermissions(List.of("notifications")));
        page = context.newPage();
    }

    @AfterEach
    void stop() {
        if (context != null) context.close();
        if (monitor != null) monitor.close();
    }

    void open(String theme) {
        page.addInitScript("try { localStorage.setItem('solo.theme', '" + theme + "') } catch (e) {}");
        page.navigate(monitor.link());
        assertThat(page.locator("#conn")).hasAttribute("data-state", "live");
    }

    /**
     * Turns on answering prompts here, from the board's box, and waits until the monitor has the setting:
     * the prompt that follows is held only then, not when the box looks checked.
     */
    void answerHere() {
        page.waitForResponse(
                r -> r.url().endsWith("/api/permissions/settings") && r.ok(),
                () -> page.locator("#hold-all").check());
        assertThat(page.locator("#hold-all")).isChecked();
    }

    Locator card(String text) {
        return page.locator("#board .card").filter(new Locator.FilterOptions().setHasText(text));
    }

    /** A screenshot of the page into {@code target/screenshots/name.png}; returns the file. */
    Path shot(String name) throws IOException {
        Path file = Screenshots.file(name);
        page.screenshot(new Page.ScreenshotOptions().setPath(file));
        return file;
    }

    @Test
    void theBoardShowsEachSessionWithWhatItDidAndWhatItCost() throws IOException {
        for (String s : Sessions.ALL) Sessions.post(monitor, s, claude);
        open("light");
        assertThat(page.locator("#board > .cards > .card")).hasCount(0); // all three ended
        assertThat(page.locator("#board details.ended summary")).hasText("Ended (3)");
        // nothing runs, so the ended sessions are shown, not folded away; a click folds them and that stays
        assertThat(page.locator("#board details.ended")).hasAttribute("open", "");
        page.locator("#board details.ended summary").click();
        assertThat(page.locator("#board details.ended")).not().hasAttribute("open", "");
        page.locator("#board details.ended summary").click();
        Locator alpha = card("alpha (a5113d7c)");
        assertThat(alpha).containsText("ended");
        assertThat(alpha).containsText("Prompt: SCRIPT dir=/tmp/dash/proj/alpha ; do the steps");
        // tokens and cost from the transcript (and its subagent's): claude-opus-4-8 at the dated price
        assertThat(alpha.locator(".cost")).containsText(Pattern.compile("\\d+k tokens · \\$0\\.\\d\\d"));
        // the label names the project; the line under it says where the session ran, not the name again
        assertThat(alpha.locator(".project")).hasText("/tmp/dash/proj/alpha");
        assertThat(alpha.locator("svg.spark")).hasCount(1);
        // claude-opus-5-5 at $4/$20 per million: the main transcript's 133 tokens (Claude Code's own
        // cost-state, $0.002068, also counts the subagent, whose transcript the fixture lacks)
        assertThat(card("inter (0411e9a0)").locator(".cost")).hasText("133 tokens · $0.0013");
        assertThat(page.locator("#cost-today")).containsText("Today");
        assertThat(page.locator("#cost-strip")).containsText("alpha: $");
        shot("board-ended-light");
    }

    /**
     * When an async subagent finishes, Claude Code submits its {@code <task-notification>} as a prompt
     * (the real session {@code 0411e9a0-…} does): the card keeps the prompt the user typed, both when the
     * hook arrives live on the open page and when the page loads the board afterwards.
     */
    @Test
    void aSubagentsTaskNotificationIsNotTheUsersPrompt() {
        open("light");
        for (String hook : Sessions.hooks(Sessions.INTER, claude))
            if (!hook.contains("\"SessionEnd\"")) monitor.post(hook);
        Locator inter = card("inter (0411e9a0)");
        assertThat(inter.locator(".status")).containsText("idle"); // the last Stop has arrived
        assertThat(inter.locator(".prompt")).hasText("Prompt: SCRIPT dir=/home/dev/proj/inter ; do the steps");
        page.reload();
        assertThat(page.locator("#conn")).hasAttribute("data-state", "live");
        assertThat(inter.locator(".prompt")).hasText("Prompt: SCRIPT dir=/home/dev/proj/inter ; do the steps");
    }

    @Test
    void aWaitingSessionComesFirstWithWhatItWaitsForAndKeepsTheDetail() throws IOException {
        Sessions.post(monitor, Sessions.ALPHA, claude);
        List<String> inter = Sessions.hooks(Sessions.INTER, claude);
        // up to the PermissionRequest(Write) and the generic Notification that follows it
        int write = indexOf(inter, "\"hook_event_name\":\"PermissionRequest\"", 2);
        for (int i = 0; i <= write + 1; i++) monitor.post(inter.get(i));
        open("light");
        Locator first = page.locator("#board .card").first();
        assertThat(first).containsText("inter (0411e9a0)");
        assertThat(first).containsText("waiting for you");
        // the most specific detail survives the generic Notification
        assertThat(first.locator(".wait")).containsText("Write: /home/dev/proj/inter/notes.txt");
        assertThat(first.locator(".wait")).not().containsText("Claude needs your permission");
        shot("board-waiting-light");
        // clicking the card opens its conversation
        first.locator(".card-label").click();
        assertThat(page.locator("#tab-conversation")).hasAttribute("aria-selected", "true");
        assertThat(page.locator("#conversation")).containsText("SCRIPT dir=/home/dev/proj/inter ; do the steps");
    }

    @Test
    void theConversationReadsTheTranscriptWithToolsResultsAndTheSubagent() throws IOException {
        Sessions.post(monitor, Sessions.ALPHA, claude);
        Sessions.post(monitor, Sessions.PERM, claude);
        open("light");
        page.navigate(monitor.base() + "/?stream=" + Sessions.ALPHA + "&view=conversation");
        Locator conv = page.locator("#conversation");
        assertThat(conv.locator(".msg.user").first()).containsText("SCRIPT dir=/tmp/dash/proj/alpha");
        assertThat(conv.locator(".msg.assistant .md").last()).containsText("Finished: ran Bash");
        Locator bash = conv.locator("details.call").filter(new Locator.FilterOptions().setHasText("echo hello-from"));
        assertThat(bash.locator(".pill")).hasText("ok");
        bash.locator("summary").click();
        assertThat(bash.locator(".result pre")).containsText("hello-from-alpha");
        // the Agent call nests its subagent's own transcript
        Locator agent = conv.locator("details.call").filter(new Locator.FilterOptions().setHasText("inspect notes"));
        agent.locator("summary").click();
        // its turn's figure leaves the subagent's tokens out until its transcript is read, and says so
        Locator turnCost = conv.locator(".turn")
                .filter(new Locator.FilterOptions()
                        .setHas(page.locator("details.call", new Page.LocatorOptions().setHasText("inspect notes"))))
                .locator(".turn-cost");
        assertThat(turnCost).containsText("without its subagent (show its work to count it)");
        String before = turnCost.textContent();
        agent.locator(".subagent button").click();
        assertThat(agent.locator(".nested")).containsText("from-subagent");
        assertThat(turnCost).not().containsText("without");
        assertThat(turnCost.textContent()).isNotEqualTo(before);
        assertThat(tokensIn(turnCost.textContent())).isGreaterThan(tokensIn(before));
        shot("conversation-subagent-light");
        // refused calls read "denied" with Claude Code's reason
        page.navigate(monitor.base() + "/?stream=" + Sessions.PERM + "&view=tools");
        Locator write = page.locator("#tools .row")
                .filter(new Locator.FilterOptions()
                        .setHas(page.locator(
                                ".tool", new Page.LocatorOptions().setHasText(Pattern.compile("^Write$")))));
        assertThat(write.locator(".pill")).hasText("denied");
        assertThat(write).containsText("haven't granted it yet");
    }

    /** The token count a "This turn: 1,234 tokens · …" or "12.3k tokens" figure gives. */
    static double tokensIn(String figure) {
        var m = Pattern.compile("([\\d.,]+)(k|M)? tokens").matcher(figure);
        assertThat(m.find()).as(figure).isTrue();
        double n = Double.parseDouble(m.group(1).replace(",", ""));
        return "k".equals(m.group(2)) ? n * 1e3 : "M".equals(m.group(2)) ? n * 1e6 : n;
    }

    /**
     * A transcript holds whatever Claude read (a web page, a file of someone else's): its Markdown is
     * shown, its HTML only as text, and nothing in it runs, with the marked and DOMPurify of the WebJars.
     */
    @Test
    void assistantMarkdownRendersAndItsHtmlNeverRuns() {
        open("light");
        String text = "**bold** and `code`\n\n<img src=x onerror=\"window.__xss=1\"> <script>window.__xss=2</script>"
                + "\n\n[link](javascript:window.__xss=3) <a href=\"https://example.org\" onclick=\"window.__xss=4\">a</a>";
        Object html = page.evaluate(
                "async (text) => { const { markdown } = await import('/assets/markdown.js');"
                        + " const d = document.createElement('div'); d.id = 'md'; d.append(markdown(text));"
                        + " document.body.append(d); d.querySelectorAll('a').forEach((a) => a.click());"
                        + " await new Promise((r) => setTimeout(r, 100)); return d.innerHTML; }",
                text);
        assertThat((String) html).contains("<strong>bold</strong>").contains("<code>code</code>");
        // the HTML is text: no element, no handler, no script link came out of it
        assertThat(page.evaluate(
                        "() => document.querySelectorAll('#md img, #md script, #md a[href^=javascript]').length"))
                .isEqualTo(0);
        assertThat(page.evaluate("() => [...document.querySelectorAll('#md *')]"
                        + ".some((e) => [...e.attributes].some((a) => a.name.startsWith('on')))"))
                .isEqualTo(false);
        assertThat(page.locator("#md")).containsText("<img src=x onerror=");
        assertThat(page.evaluate("() => window.__xss === undefined")).isEqualTo(true);
    }

    @Test
    void notificationsComeOnceForAWaitAndCountInTheTitle() {
        Sessions.post(monitor, Sessions.ALPHA, claude);
        open("light");
        assertThat(page.locator("#notify")).hasText("Notifications on"); // granted by the test's browser context
        assertThat(page).not().hasTitle(Pattern.compile("^\\(\\d"));
        List<String> inter = Sessions.hooks(Sessions.INTER, claude);
        int request = indexOf(inter, "\"hook_event_name\":\"PermissionRequest\"", 1);
        for (int i = 0; i <= request; i++) monitor.post(inter.get(i));
        assertThat(page).hasTitle(Pattern.compile("^\\(1\\) "));
        assertThat(page.locator("link[rel=icon]")).hasAttribute("data-count", "1");
        monitor.post(inter.get(request + 1)); // the generic Notification of the same wait
        page.waitForFunction("() => document.querySelector('#board .card .wait')");
        page.evaluate("() => new Promise(r => setTimeout(r, 2500))"); // two board refreshes
        Object sent = page.evaluate("() => JSON.stringify(window.__soloNotified || [])");
        assertThat((String) sent).contains("waits for you");
        assertThat(countOf((String) sent, "wait:")).isEqualTo(1);
    }

    @Test
    void aHeldPromptIsAllowedOrDeniedFromTheCardAndClaudeGetsTheDecision() throws Exception {
        Sessions.post(monitor, Sessions.ALPHA, claude);
        // the session's first prompt came before holding was on: held, its post would wait out the timeout
        List<String> inter = Sessions.hooks(Sessions.INTER, claude);
        int write = indexOf(inter, "\"hook_event_name\":\"PermissionRequest\"", 2);
        for (int i = 0; i < write; i++) monitor.post(inter.get(i));
        open("light");
        answerHere();
        CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> monitor.postForAnswer(inter.get(write)));
        Locator hold = page.locator("#board .card .hold");
        assertThat(hold.locator("button.allow")).isVisible();
        assertThat(page.locator("#board .card").first()).containsText("Write: /home/dev/proj/inter/notes.txt");
        shot("held-prompt-page-light");
        page.evaluate(
                "() => { localStorage.setItem('solo.theme', 'dark'); document.documentElement.dataset.theme = 'dark'; }");
        shot("held-prompt-page-dark");
        hold.locator("button.allow").click();
        String body = answer.get(10, TimeUnit.SECONDS);
        assertThat(body).contains("\"hookEventName\":\"PermissionRequest\"").contains("\"behavior\":\"allow\"");
        // answered here, so no longer waiting: at once, not at Claude Code's next event (none is posted)
        assertThat(monitor.server().store().stream(Sessions.INTER).orElseThrow().waitingReason())
                .isNull();
        assertThat(page.locator("#board .card.c-waiting")).hasCount(0);
        assertThat(card("inter (0411e9a0)")).not().containsText("waiting for you");
        assertThat(page).not().hasTitle(Pattern.compile("^\\(\\d"));
        page.navigate(monitor.base() + "/?stream=" + Sessions.INTER + "&view=events");
        assertThat(page.locator("#events .row").filter(new Locator.FilterOptions().setHasText("PermissionAnswered")))
                .containsText("Write: allowed from the dashboard");
        page.navigate(monitor.base() + "/");
        assertThat(page.locator("#conn")).hasAttribute("data-state", "live");
        // the next one is denied with a message to Claude
        int edit = indexOf(inter, "\"hook_event_name\":\"PermissionRequest\"", 3);
        for (int i = write + 1; i < edit; i++) monitor.post(inter.get(i));
        CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> monitor.postForAnswer(inter.get(edit)));
        assertThat(hold.locator("button.deny")).isVisible();
        hold.locator(".hold-message").fill("not in README, please");
        hold.locator("button.deny").click();
        assertThat(second.get(10, TimeUnit.SECONDS))
                .contains("\"behavior\":\"deny\"")
                .contains("not in README, please");
        assertThat(monitor.server().store().stream(Sessions.INTER).orElseThrow().waitingReason())
                .isNull();
        assertThat(page.locator("#board .card.c-waiting")).hasCount(0);
    }

    /**
     * Two prompts of one session held at once (the session's real PermissionRequest of Write, and the same
     * call on another file, as two parallel calls ask): the card offered Allow and Deny for the first only,
     * so the second could not be answered here. Each now has its own, named, from the keyboard too.
     */
    @Test
    void twoHeldPromptsOfOneSessionEachHaveTheirOwnAnswer() throws Exception {
        List<String> inter = Sessions.hooks(Sessions.INTER, claude);
        int write = indexOf(inter, "\"hook_event_name\":\"PermissionRequest\"", 2);
        for (int i = 0; i < write; i++) monitor.post(inter.get(i));
        open("light");
        answerHere();
        String other = inter.get(write).replace("/home/dev/proj/inter/notes.txt", "/home/dev/proj/inter/other.txt");
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> monitor.postForAnswer(inter.get(write)));
        Locator holds = page.locator("#board .card .hold");
        assertThat(holds).hasCount(1);
        CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> monitor.postForAnswer(other));
        assertThat(holds).hasCount(2);
        assertThat(holds.nth(0).locator(".held-what")).hasText("Write: /home/dev/proj/inter/notes.txt");
        assertThat(holds.nth(1).locator(".held-what")).hasText("Write: /home/dev/proj/inter/other.txt");
        assertThat(holds.nth(1).locator("button.allow"))
                .hasAttribute("aria-label", "Allow Write: /home/dev/proj/inter/other.txt");
        holds.nth(1).locator("button.allow").focus();
        page.keyboard().press("Enter");
        assertThat(second.get(10, TimeUnit.SECONDS)).contains("\"behavior\":\"allow\"");
        assertThat(first).as("the other prompt is still held").isNotDone();
        assertThat(holds).hasCount(1);
        holds.locator(".hold-message").fill("not that one");
        holds.locator("button.deny").click();
        assertThat(first.get(10, TimeUnit.SECONDS))
                .contains("\"behavior\":\"deny\"")
                .contains("not that one");
        assertThat(holds).hasCount(0);
    }

    /** The pictures in docs/: the board, the conversation, the cost strip, a held prompt, in both themes. */
    @Test
    void screenshotsForTheDocs() throws Exception {
        Sessions.post(monitor, Sessions.ALPHA, claude);
        List<String> perm = Sessions.hooks(Sessions.PERM, claude);
        int agentRunning = indexOf(perm, "\"hook_event_name\":\"PreToolUse\"", 6);
        for (int i = 0; i <= agentRunning; i++) monitor.post(perm.get(i)); // working, its subagent running a tool
        List<String> inter = Sessions.hooks(Sessions.INTER, claude);
        int write = indexOf(inter, "\"hook_event_name\":\"PermissionRequest\"", 2);
        for (int i = 0; i < write; i++) monitor.post(inter.get(i));
        open("light");
        answerHere();
        CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> monitor.postForAnswer(inter.get(write)));
        assertThat(page.locator("#board .card .hold button.allow")).isVisible();
        page.locator("#board details.ended summary").click();
        assertThat(card("perm (f6fcbe64)").locator(".doing")).isVisible();
        for (String theme : List.of("light", "dark")) {
            if (!theme.equals(page.locator("html").getAttribute("data-theme")))
                page.locator("#theme").click();
            Screenshots.publish(shot("board-" + theme));
            Path strip = Screenshots.file("cost-strip-" + theme);
            page.locator("#cost-strip").screenshot(new Locator.ScreenshotOptions().setPath(strip));
            Screenshots.publish(strip);
            Path held = Screenshots.file("held-prompt-" + theme);
            page.locator("#board .card.c-waiting").screenshot(new Locator.ScreenshotOptions().setPath(held));
            Screenshots.publish(held);
        }
        page.locator("#board .card .hold button.allow").click();
        assertThat(answer.get(10, TimeUnit.SECONDS)).contains("allow");
        page.navigate(monitor.base() + "/?stream=" + Sessions.ALPHA + "&view=conversation");
        Locator agent = page.locator("#conversation details.call")
                .filter(new Locator.FilterOptions().setHasText("inspect notes"));
        agent.locator("summary").click();
        agent.locator(".subagent button").click();
        assertThat(agent.locator(".nested")).containsText("from-subagent");
        page.locator("#conversation details.call").first().locator("summary").click();
        page.locator("#conversation").evaluate("el => el.scrollTop = 0");
        for (String theme : List.of("light", "dark")) {
            if (!theme.equals(page.locator("html").getAttribute("data-theme")))
                page.locator("#theme").click();
            Screenshots.publish(shot("conversation-" + theme));
        }
    }

    static int indexOf(List<String> lines, String needle, int nth) {
        int seen = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(needle) && ++seen == nth) return i;
        }
        throw new IllegalArgumentException("no " + nth + ". line with " + needle);
    }

    static int countOf(String hay, String needle) {
        int n = 0;
        for (int i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1)) n++;
        return n;
    }
}
