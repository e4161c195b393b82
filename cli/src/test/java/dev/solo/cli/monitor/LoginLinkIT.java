package dev.solo.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where no browser can be opened (SSH, no display, an opener that fails) {@code solo monitor} and
 * {@code open} print a one-time login link that logs in once, and over SSH the {@code ssh -L} line.
 */
class LoginLinkIT {
    static final Pattern LINK = Pattern.compile("http://localhost:(\\d+)/#login=([A-Za-z0-9_-]+)");

    @TempDir
    Path home;

    @AfterEach
    void tearDown() {
        SoloProcess.killResidents(home);
    }

    /** A desktop with a browser opener that works or not: {@code xdg-open} on PATH exits with {@code code}. */
    Map<String, String> desktop(int code) throws Exception {
        Path bin = Files.createDirectories(home.resolve("bin-" + code));
        Path opener = bin.resolve("xdg-open");
        Files.writeString(
                opener, "#!/bin/sh\necho \"$1\" >> '" + home.resolve("opened-" + code) + "'\nexit " + code + "\n");
        Files.setPosixFilePermissions(opener, PosixFilePermissions.fromString("rwx------"));
        return Map.of(
                "SOLO_NO_BROWSER", "0",
                "DISPLAY", ":0",
                "WAYLAND_DISPLAY", "",
                "SSH_CONNECTION", "",
                "PATH", bin + ":/usr/bin:/bin");
    }

    @Test
    @Timeout(120)
    void overSshTheLinkAndTheForwardLineArePrintedAndTheLinkLogsInOnce() throws Exception {
        String p = Integer.toString(SoloProcess.freePort());
        Map<String, String> ssh = Map.of(
                "SOLO_NO_BROWSER", "0", "DISPLAY", "", "SSH_CONNECTION", "10.1.2.3 50022 10.9.8.7 22", "USER", "ann");
        var start = SoloProcess.run(home, ssh, List.of(), "monitor", "--port", p);
        assertThat(start.exit()).as(start.err()).isZero();
        assertThat(start.out())
                .contains("Monitor running on port " + p)
                .doesNotContain("Opening browser")
                .contains("No browser could be opened here (this is an SSH session). Open this link to log in;"
                        + " it works once, within 60 s ('solo monitor open' prints a new one):")
                .contains("  ssh -N -L " + p + ":localhost:" + p + " ann@10.9.8.7\n");
        String code = code(start.out(), p);
        assertThat(session(p, code)).isEqualTo(200);
        assertThat(session(p, code)).isEqualTo(403); // once only

        var open = SoloProcess.run(home, ssh, List.of(), "monitor", "open", "--port", p);
        assertThat(open.exit()).as(open.err()).isZero();
        assertThat(session(p, code(open.out(), p))).isEqualTo(200);

        // no display at all, not over SSH: the link, no ssh line
        var headless = SoloProcess.run(
                home,
                Map.of("SOLO_NO_BROWSER", "0", "DISPLAY", "", "WAYLAND_DISPLAY", ""),
                List.of(),
                "monitor",
                "--port",
                p);
        assertThat(headless.out())
                .contains("No browser could be opened here (no display: DISPLAY and WAYLAND_DISPLAY are unset).")
                .doesNotContain("ssh -N");
        assertThat(session(p, code(headless.out(), p))).isEqualTo(200);
    }

    @Test
    @Timeout(120)
    void anOpenerThatFailsGetsTheLinkPrintedAndOneThatWorksDoesNot() throws Exception {
        String p = Integer.toString(SoloProcess.freePort());
        var failing = SoloProcess.run(home, desktop(3), List.of(), "monitor", "--port", p);
        assertThat(failing.exit()).as(failing.err()).isZero();
        assertThat(failing.out())
                .contains("Opening browser to http://localhost:" + p)
                .contains("No browser could be opened here (xdg-open exited with 3).");
        assertThat(session(p, code(failing.out(), p))).isEqualTo(200);

        var working = SoloProcess.run(home, desktop(0), List.of(), "monitor", "open", "--port", p);
        assertThat(working.exit()).as(working.err()).isZero();
        assertThat(working.out()).isEqualTo("Opening browser to http://localhost:" + p + "\n");
        String opened = Files.readString(home.resolve("opened-0")).strip();
        assertThat(session(p, code(opened, p))).isEqualTo(200);
    }

    static String code(String text, String port) {
        Matcher m = LINK.matcher(text);
        assertThat(m.find()).as(text).isTrue();
        assertThat(m.group(1)).isEqualTo(port);
        return m.group(2);
    }

    static int session(String port, String code) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/session"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"code\":\"" + code + "\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }
}
