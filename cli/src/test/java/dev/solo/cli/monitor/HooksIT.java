package dev.solo.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.solo.core.Registry;
import dev.solo.monitor.security.IngestKey;
import dev.solo.testing.ClaudeCode;
import dev.solo.testing.Prerequisite;
import dev.solo.testing.Requires;
import dev.solo.testing.StandInApi;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hooks as installed for Claude Code: where they go ($CLAUDE_CONFIG_DIR, else $HOME), what they
 * carry (the ingest key, never the token), how installs from before the key are reported and fixed,
 * and a real Claude Code session feeding the monitor through them.
 */
class HooksIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    @AfterEach
    void tearDown() {
        SoloProcess.killResidents(home);
    }

    SoloProcess.Result solo(Map<String, String> env, String... args) throws Exception {
        return SoloProcess.run(home, env, List.of(), args);
    }

    @Test
    void userScopeGoesWhereClaudeCodeReads() throws Exception {
        Path userHome = SoloProcess.userHome(home);
        var r = solo(SoloProcess.noClaude(home), "monitor", "hooks", "install", "--port", "18998");
        assertThat(r.exit()).as(r.err()).isZero();
        Path inHome = userHome.resolve(".claude/settings.json");
        assertThat(r.out()).contains("in " + inHome + " (port 18998)");
        Path config = Files.createDirectories(home.resolve("claude-config"));
        Map<String, String> env =
                Map.of("PATH", SoloProcess.noClaude(home).get("PATH"), "CLAUDE_CONFIG_DIR", config.toString());
        var c = solo(env, "monitor", "hooks", "install", "--port", "18998");
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(c.out()).contains("in " + config.resolve("settings.json") + " (port 18998)");
        String token = Registry.at(home).token().value();
        for (Path f : List.of(inHome, config.resolve("settings.json"))) {
            assertThat(Files.readString(f))
                    .doesNotContain(token)
                    .contains(IngestKey.loadOrCreate(home).value());
        }
        // both files are listed, wherever they were written from
        assertThat(solo(env, "monitor", "hooks", "status").out())
                .contains(inHome + " (user, port 18998): 31 events, key current, no monitor answers.")
                .contains(config.resolve("settings.json") + " (user, port 18998): 31 events, key current")
                .doesNotContain("Stale");
    }

    @Test
    @Timeout(150) // a dozen solo JVMs, on a shared 2-core machine
    void hooksThatStillCarryTheTokenWorkButAreReportedAndReplaced() throws Exception {
        int port = SoloProcess.freePort();
        String p = Integer.toString(port);
        String token = Registry.at(home).token().value();
        Path settings = SoloProcess.userHome(home).resolve(".claude/settings.json");
        Files.createDirectories(settings.getParent());
        String url = "http://127.0.0.1:" + port + "/api/hooks";
        // what 'hooks install' wrote before the ingest key existed
        Files.writeString(settings, """
                {"model":"opus","hooks":{
                  "SessionStart":[{"hooks":[{"type":"command","command":"curl -sS -m 5 -o /dev/null -X POST -H 'Content-Type: application/json' -H 'Authorization: Bearer %s' -H 'X-Solo-Monitor: 1' --data-binary @- %s >/dev/null 2>&1 || true","timeout":5}]}],
                  "PreToolUse":[{"hooks":[{"type":"http","url":"%s","headers":{"Authorization":"Bearer %s","X-Solo-Monitor":"1"},"timeout":5}]}]
                }}""".formatted(token, url, url, token));

        var start = solo(Map.of(), "monitor", "--port", p, "--no-browser");
        assertThat(start.exit()).as(start.err()).isZero();
        assertThat(start.err())
                .isEqualTo(
                        "Warning: the hooks in " + settings + " carry the monitor's token, which hooks no longer"
                                + " need. Run 'solo monitor hooks install --scope user' to give them the ingest key instead.\n");
        var status = solo(Map.of(), "monitor", "hooks", "status");
        assertThat(status.out())
                .contains(settings + " (user, port " + port + "): 2 events, key STALE, monitor answers")
                .contains("Stale: 2 hooks carry the monitor's token (they still deliver, but the token opens"
                        + " everything and does not belong in a settings file). Fix: 'solo monitor hooks refresh'.");
        // they still deliver (the token opens ingest too) until they are replaced
        assertThat(runSessionStartHook(settings)).isZero();
        assertThat(solo(Map.of(), "monitor", "status", "--port", p).out()).contains(", 1 event)");

        var rotate = solo(Map.of(), "monitor", "token", "--rotate");
        assertThat(rotate.exit()).as(rotate.err()).isZero();
        assertThat(rotate.out())
                .contains("Updated the hooks in " + settings + " (2 events): they carried the old token, now the"
                        + " ingest key.");
        String text = Files.readString(settings);
        assertThat(text).doesNotContain(token).startsWith("{\"model\":\"opus\","); // the user's text, as it was
        assertThat(solo(Map.of(), "monitor", "hooks", "status").out()).doesNotContain("Stale");
        assertThat(runSessionStartHook(settings)).isZero();
        assertThat(solo(Map.of(), "monitor", "status", "--port", p).out()).contains("2 events");
        assertThat(solo(Map.of(), "monitor", "--port", p, "--no-browser").err()).isEmpty();
    }

    /** Runs the SessionStart command hook of {@code settings} as Claude Code does: sh -c, the event on stdin. */
    static int runSessionStartHook(Path settings) throws IOException, InterruptedException {
        String command = JSON.readTree(Files.readString(settings))
                .get("hooks")
                .get("SessionStart")
                .get(0)
                .get("hooks")
                .get(0)
                .get("command")
                .asText();
        Process sh = new ProcessBuilder("sh", "-c", command).start();
        sh.getOutputStream().write("{\"session_id\":\"old\",\"hook_event_name\":\"SessionStart\"}".getBytes());
        sh.getOutputStream().close();
        return sh.waitFor(20, TimeUnit.SECONDS) ? sh.exitValue() : -1;
    }

    @Test
    @Timeout(240)
    @Requires({Prerequisite.CLAUDE_CODE, Prerequisite.PYTHON3})
    void aRealClaudeCodeSessionFeedsTheMonitorThroughTheIngestKey() throws Exception {
        int port = SoloProcess.freePort();
        try (StandInApi api = StandInApi.start(home.resolve("api"), Duration.ofMillis(50))) {
            ClaudeCode claude = ClaudeCode.in(home.resolve("claude"), api);
            Path project = Files.createDirectories(home.resolve("project"));
            Files.writeString(project.resolve("README.md"), "Hello world\n");
            // the hooks go where this Claude Code reads: its CLAUDE_CONFIG_DIR
            Map<String, String> env =
                    Map.of("CLAUDE_CONFIG_DIR", claude.configDir().toString());
            assertThat(solo(env, "monitor", "--port", Integer.toString(port), "--no-browser")
                            .exit())
                    .isZero();
            var install = solo(env, "monitor", "hooks", "install", "--port", Integer.toString(port));
            assertThat(install.exit()).as(install.err()).isZero();
            assertThat(install.out()).contains("in " + claude.configDir().resolve("settings.json"));

            ClaudeCode.Result session = claude.run(project, "SCRIPT dir=" + project + " ; go");
            assertThat(session.exit()).as(session.stderr()).isZero();

            String token = Registry.at(home).token().value();
            HttpResponse<String> names = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/event-names"))
                                    .header("Authorization", "Bearer " + token)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            List<String> events = new ArrayList<>();
            for (JsonNode n : JSON.readTree(names.body()).get("names"))
                events.add(n.get("event").asText());
            // SessionStart came through the curl command hook (-H @<key file>), the rest through HTTP hooks
            assertThat(events)
                    .contains("SessionStart", "UserPromptSubmit", "PreToolUse", "PostToolUse", "Stop", "SessionEnd");
            assertThat(Files.readString(claude.configDir().resolve("settings.json")))
                    .doesNotContain(token);
        }
    }
}
