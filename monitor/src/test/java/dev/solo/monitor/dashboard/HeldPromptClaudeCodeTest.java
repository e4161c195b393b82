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
import dev.solo.testing.Chromium;
import dev.solo.testing.ClaudeCode;
import dev.solo.testing.ClaudeTerminal;
import dev.solo.testing.Prerequisite;
import dev.solo.testing.Requires;
import dev.solo.testing.StandInApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A permission prompt of a real, interactive Claude Code session ({@code --permission-mode default},
 * in tmux, offline against the stand-in API) answered from the dashboard in a real Chromium: the
 * Bash call and the Write allowed from the card happen (the file exists), the Edit denied with a
 * message does not (README.md unchanged), and the terminal says the hook decided. The hooks are the
 * ones {@code solo monitor hooks install} writes for the CLI's own version.
 */
@Timeout(300)
@Requires({Prerequisite.CHROMIUM, Prerequisite.PYTHON3, Prerequisite.CLAUDE_CODE, Prerequisite.TMUX})
class HeldPromptClaudeCodeTest {
    @TempDir
    Path dir;

    @Test
    void allowedFromThePageHappensDeniedDoesNot() throws Exception {
        PlaywrightAssertions.setDefaultAssertionTimeout(60_000);
        Path project = Files.createDirectories(dir.resolve("proj").resolve("inter"));
        Files.writeString(project.resolve("README.md"), "# inter\n\nHello world\n");
        try (StandInApi api = StandInApi.start(dir.resolve("api"), Duration.ofMillis(200))) {
            ClaudeCode claude = ClaudeCode.in(dir.resolve("claude"), api).args("--permission-mode", "default");
            Path claudeDir = Files.createDirectories(claude.configDir());
            try (Monitor monitor = new Monitor(dir.resolve("monitor"), new ClaudeHome(claudeDir));
                    Chromium browser = Chromium.launch();
                    BrowserContext context = browser.browser()
                            .newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                                    .setViewportSize(1400, 900))) {
                // the event set this version knows: one it does not know makes Claude Code refuse the settings
                List<String> events = HookEvents.forVersion(Optional.of(claude.version()));
                HooksInstaller.install(
                        claudeDir.resolve("settings.json"),
                        events,
                        monitor.port(),
                        dev.solo.monitor.security.IngestKey.loadOrCreate(dir.resolve("monitor")));
                Page page = context.newPage();
                page.navigate(monitor.link());
                assertThat(page.locator("#conn")).hasAttribute("data-state", "live");
                // the prompt that follows is held only once the monitor has the setting, not when the box looks checked
                page.waitForResponse(
                        r -> r.url().endsWith("/api/permissions/settings") && r.ok(),
                        () -> page.locator("#hold-all").check());
                assertThat(page.locator("#hold-all")).isChecked();

                try (ClaudeTerminal terminal = claude.terminal(project)) {
                    terminal.awaitScreen("? for shortcuts", Duration.ofSeconds(60));
                    terminal.submit("SCRIPT dir=" + project + " ; do the steps", Duration.ofSeconds(60));

                    Locator hold = page.locator("#board .card .hold");
                    // 1: Bash, allowed from the page
                    assertThat(page.locator("#board .card .wait")).containsText("Bash: echo hello-from");
                    hold.locator("button.allow").click();
                    // 2: Write notes.txt, allowed from the page: it happens
                    assertThat(page.locator("#board .card .wait"))
                            .containsText("Write: " + project.resolve("notes.txt"));
                    page.screenshot(new Page.ScreenshotOptions().setPath(Screenshots.file("real-held-prompt")));
                    hold.locator("button.allow").click();
                    await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(project.resolve("notes.txt")));
                    assertThat(Files.readString(project.resolve("notes.txt")))
                            .isEqualTo("line one\nline two\nline three\n");
                    // 3: Edit README.md, denied with a message: it does not happen
                    assertThat(page.locator("#board .card .wait"))
                            .containsText("Edit: " + project.resolve("README.md"));
                    hold.locator(".hold-message").fill("Leave README.md as it is");
                    hold.locator("button.deny").click();
                    terminal.awaitScreen("Denied by PermissionRequest hook", Duration.ofSeconds(30));
                    assertThat(terminal.screen()).contains("Leave README.md as it is");
                    assertThat(Files.readString(project.resolve("README.md"))).isEqualTo("# inter\n\nHello world\n");
                }
            }
        }
    }
}
