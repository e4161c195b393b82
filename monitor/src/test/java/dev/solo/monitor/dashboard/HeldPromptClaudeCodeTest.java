package dev.solo.monitor.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.solo.monitor.hooks.HookEvents;
import dev.solo.monitor.hooks.HooksInstaller;
import dev.solo.monitor.transcript.ClaudeHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A permission prompt of a real, interactive Claude Code session ({@code --permission-mode default},
 * in tmux, offline against the stand-in API) answered from the dashboard in a real Chromium: the
 * Bash call and the Write allowed from the card happen (the file exists), the Edit denied with a
 * message does not (README.md unchanged), and the terminal says the hook decided.
 */
@Timeout(240)
class HeldPromptClaudeCodeTest {
    @TempDir
    Path home;

    @Test
    void allowedFromThePageHappensDeniedDoesNot() throws Exception {
        Optional<Path> cli = ClaudeCode.cli();
        Assumptions.assumeTrue(cli.isPresent(), "no Claude Code CLI (-Dsolo.claude=…, $SOLO_CLAUDE or claude on PATH)");
        Assumptions.assumeTrue(ClaudeCode.tmux(), "no tmux on PATH");
        Assumptions.assumeTrue(Browser.available(), "no Chromium at " + Browser.CHROMIUM);
        PlaywrightAssertions.setDefaultAssertionTimeout(60_000);
        Path project = home.resolve("proj").resolve("inter");
        Files.createDirectories(project);
        Files.writeString(project.resolve("README.md"), "# inter\n\nHello world\n");
        Path claudeDir = home.resolve(".claude");
        Files.createDirectories(claudeDir);
        try (Monitor monitor = new Monitor(home, new ClaudeHome(claudeDir));
                ClaudeCode claude = new ClaudeCode(home);
                Browser browser = Browser.launch()) {
            List<String> events = new ArrayList<>(HookEvents.forVersion(Optional.of("2.1.197")));
            events.remove("DirectoryAdded"); // Claude Code 2.1.197 rejects it with a start-up dialog
            HooksInstaller.install(claudeDir.resolve("settings.json"), events, monitor.port(), monitor.token);
            BrowserContext context = browser.browser.newContext(
                    new com.microsoft.playwright.Browser.NewContextOptions().setViewportSize(1400, 900));
            Page page = context.newPage();
            page.navigate(monitor.link());
            assertThat(page.locator("#conn")).hasAttribute("data-state", "live");
            page.locator("#hold-all").check();
            assertThat(page.locator("#hold-all")).isChecked();

            claude.interactive("inter", project, cli.get(), "--permission-mode", "default");
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> claude.screen("inter").contains("for shortcuts"));
            claude.type("inter", "SCRIPT dir=" + project + " ; do the steps");

            Locator hold = page.locator("#board .card .hold");
            // 1: Bash, allowed from the page
            assertThat(page.locator("#board .card .wait")).containsText("Bash: echo hello-from");
            hold.locator("button.allow").click();
            // 2: Write notes.txt, allowed from the page: it happens
            assertThat(page.locator("#board .card .wait")).containsText("Write: " + project.resolve("notes.txt"));
            page.screenshot(
                    new Page.ScreenshotOptions().setPath(MissionControlTest.SHOTS.resolve("real-held-prompt.png")));
            hold.locator("button.allow").click();
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(project.resolve("notes.txt")));
            assertThat(Files.readString(project.resolve("notes.txt"))).isEqualTo("line one\nline two\nline three\n");
            // 3: Edit README.md, denied with a message: it does not happen
            assertThat(page.locator("#board .card .wait")).containsText("Edit: " + project.resolve("README.md"));
            hold.locator(".hold-message").fill("Leave README.md as it is");
            hold.locator("button.deny").click();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> claude.screen("inter").contains("Denied by PermissionRequest hook"));
            assertThat(claude.screen("inter")).contains("Leave README.md as it is");
            assertThat(Files.readString(project.resolve("README.md"))).isEqualTo("# inter\n\nHello world\n");
            context.close();
        }
    }
}
