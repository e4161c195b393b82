package dev.solo.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.solo.core.Registry;
import dev.solo.monitor.security.IngestKey;
import dev.solo.testing.OtherUser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret on any command line (issue 8, point 3): another OS user reads every process's command line
 * as fast as it can while the victim's SessionStart curl hook runs, again and again, and while {@code
 * solo monitor open} starts the browser. It sees the hooks and the browser, and in them neither the token
 * nor the ingest key; the browser's one-time login code it sees is refused to it, and still logs the
 * victim in.
 */
class SecretsInArgvIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    Path home;
    OtherUser attacker;

    @AfterEach
    void tearDown() {
        if (attacker != null) attacker.close();
        if (home != null) {
            SoloProcess.killResidents(home);
        }
    }

    @Test
    void anotherUserPollingCommandLinesSeesTheHooksAndTheBrowserButNoSecret() throws Exception {
        attacker = new OtherUser(tmp);
        home = tmp.resolve("solo");
        int port = SoloProcess.freePort();
        String p = Integer.toString(port);
        assertThat(SoloProcess.run(home, Map.of(), List.of(), "monitor", "--port", p, "--no-browser")
                        .exit())
                .isZero();
        var install = SoloProcess.run(
                home, SoloProcess.noClaude(home), List.of(), "monitor", "hooks", "install", "--port", p);
        assertThat(install.exit()).as(install.err()).isZero();
        String token = Registry.at(home).token().value();
        String key = IngestKey.loadOrCreate(home).value();
        String command = JSON.readTree(
                        Files.readString(SoloProcess.userHome(home).resolve(".claude/settings.json")))
                .get("hooks")
                .get("SessionStart")
                .get(0)
                .get("hooks")
                .get(0)
                .get("command")
                .asText();

        Path seen = attacker.dir().resolve("seen.json");
        Path stop = attacker.dir().resolve("stop");
        attacker.script("cmdlines.py", seen.toString(), stop.toString());

        // the SessionStart hook, as Claude Code runs it: sh -c '<command>' with the event on stdin
        int runs = 0;
        for (; runs < 40; runs++) {
            Process sh = new ProcessBuilder("sh", "-c", command).start();
            sh.getOutputStream()
                    .write(("{\"session_id\":\"argv\",\"hook_event_name\":\"SessionStart\",\"n\":" + runs + "}")
                            .getBytes(StandardCharsets.UTF_8));
            sh.getOutputStream().close();
            assertThat(sh.waitFor()).isZero();
        }
        // the browser opener: a browser that stays up a second, as a real one would
        Path browser = tmp.resolve("browser.sh");
        Path opened = tmp.resolve("browser.log");
        Files.writeString(browser, "#!/bin/sh\necho \"$@\" >> " + opened + "\nsleep 1\n");
        browser.toFile().setExecutable(true);
        var open = SoloProcess.run(
                home,
                Map.of("SOLO_NO_BROWSER", "0", "BROWSER", browser.toString()),
                List.of(),
                "monitor",
                "open",
                "--port",
                p);
        assertThat(open.exit()).as(open.err()).isZero();
        assertThat(open.out()).isEqualTo("Opening browser to http://localhost:" + port + "\n");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(opened));
        String url = Files.readString(opened).strip();
        Matcher m = Pattern.compile("http://localhost:" + port + "/#login=([A-Za-z0-9_-]{43})")
                .matcher(url);
        assertThat(m.matches()).as(url).isTrue();
        String code = m.group(1);

        Files.writeString(stop, "");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(seen) && Files.size(seen) > 0);
        JsonNode report = JSON.readTree(Files.readString(seen));
        List<String> cmdlines = new ArrayList<>();
        report.get("seen").forEach(c -> cmdlines.add(c.asText()));
        // it was looking: it caught hook runs and the browser...
        assertThat(cmdlines).anySatisfy(c -> assertThat(c).startsWith("curl ").contains("/api/hooks"));
        assertThat(cmdlines).anySatisfy(c -> assertThat(c).contains("#login=" + code));
        // ...and no secret in any of them
        assertThat(cmdlines).allSatisfy(c -> assertThat(c).doesNotContain(token).doesNotContain(key));

        // the login code it saw is no use to it, and does not stop the victim's browser from using it
        var stolen = OtherUser.run(
                OtherUser.program("curl"),
                "-s",
                "-w",
                "\n%{http_code}",
                "-H",
                "Content-Type: application/json",
                "--data-binary",
                "{\"code\":\"" + code + "\"}",
                "http://127.0.0.1:" + port + "/api/session");
        assertThat(stolen.out()).endsWith("\n403").doesNotContain("\"session\"");
        HttpResponse<String> victim = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/session"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"code\":\"" + code + "\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(victim.statusCode()).as(victim.body()).isEqualTo(200);

        // and every hook run arrived
        var status = SoloProcess.run(home, Map.of(), List.of(), "monitor", "status", "--port", p);
        assertThat(status.out()).contains("1 stream, " + runs + " events");
    }
}
