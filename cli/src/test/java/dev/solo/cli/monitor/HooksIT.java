package dev.solo.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.solo.core.InstanceRecord;
import dev.solo.core.Registry;
import dev.solo.monitor.security.IngestKey;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
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

    final List<Process> started = new ArrayList<>();

    @AfterEach
    void tearDown() {
        for (Process p : started) p.destroyForcibly();
        for (InstanceRecord r : Registry.at(home).records()) {
            ProcessHandle.of(r.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
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
        assertThat(solo(env, "monitor", "hooks", "status").out())
                .contains("31 events send to")
                .doesNotContain("Stale");
    }

    @Test
    void hooksThatStillCarryTheTokenWorkButAreReportedAndReplaced() throws Exception {
        int port = SoloProcess.freePort();
        String p = Integer.toString(port);
        String token = Registry.at(home).token().value();
        Path settings = SoloProcess.userHome(home).resolve(".claude/settings.json");
        Files.createDirectories(settings.getParent());
        String url = "http://127.0.0.1:" + port + "/api/hooks";
        // what 'hooks install' wrote before the ingest key existed
        Files.writeString(
                settings,
                """
                {"model":"opus","hooks":{
                  "SessionStart":[{"hooks":[{"type":"command","command":"curl -sS -m 5 -o /dev/null -X POST -H 'Content-Type: application/json' -H 'Authorization: Bearer %s' -H 'X-Solo-Monitor: 1' --data-binary @- %s >/dev/null 2>&1 || true","timeout":5}]}],
                  "PreToolUse":[{"hooks":[{"type":"http","url":"%s","headers":{"Authorization":"Bearer %s","X-Solo-Monitor":"1"},"timeout":5}]}]
                }}"""
                        .formatted(token, url, url, token));

        var start = solo(Map.of(), "monitor", "--port", p, "--no-browser");
        assertThat(start.exit()).as(start.err()).isZero();
        assertThat(start.err())
                .isEqualTo(
                        "Warning: the hooks in " + settings + " carry the monitor's token, which hooks no longer"
                                + " need. Run 'solo monitor hooks install --scope user' to give them the ingest key instead.\n");
        var status = solo(Map.of(), "monitor", "hooks", "status");
        assertThat(status.out())
                .contains("2 events send to " + url)
                .contains("Stale: 2 of them carry the monitor's token. Run 'solo monitor hooks install --scope user'");
        // they still deliver (the token opens ingest too) until they are replaced
        assertThat(runSessionStartHook(settings)).isZero();
        assertThat(solo(Map.of(), "monitor", "status", "--port", p).out()).contains("1 events");

        var rotate = solo(Map.of(), "monitor", "token", "--rotate");
        assertThat(rotate.exit()).as(rotate.err()).isZero();
        assertThat(rotate.out())
                .contains("Updated the hooks in " + settings + " (2 events): they carried the old token, now the"
                        + " ingest key.");
        String text = Files.readString(settings);
        assertThat(text).doesNotContain(token).contains("\"model\" : \"opus\"");
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

    /** The real Claude Code CLI: -Dsolo.claude, else $SOLO_CLAUDE, else the first of the usual places. */
    static Path claude() {
        String configured = System.getProperty("solo.claude", System.getenv("SOLO_CLAUDE"));
        if (configured != null) return Path.of(configured);
        for (String p :
                List.of("/tmp/claude-cli/node_modules/.bin/claude", "/usr/local/bin/claude", "/usr/bin/claude")) {
            if (Files.isExecutable(Path.of(p))) return Path.of(p);
        }
        return Path.of("claude");
    }

    @Test
    @Timeout(180)
    void aRealClaudeCodeSessionFeedsTheMonitorThroughTheIngestKey() throws Exception {
        Path claude = claude();
        Assumptions.assumeTrue(
                Files.isExecutable(claude),
                "no Claude Code CLI at " + claude + " (npm i @anthropic-ai/claude-code; -Dsolo.claude=PATH)");
        int port = SoloProcess.freePort();
        int api = SoloProcess.freePort();
        Path config = Files.createDirectories(home.resolve("claude-config"));
        Path project = Files.createDirectories(home.resolve("project"));
        Files.writeString(project.resolve("README.md"), "Hello world\n");
        Map<String, String> env = Map.of("CLAUDE_CONFIG_DIR", config.toString());
        assertThat(solo(env, "monitor", "--port", Integer.toString(port), "--no-browser")
                        .exit())
                .isZero();
        var install = solo(env, "monitor", "hooks", "install", "--port", Integer.toString(port));
        assertThat(install.exit()).as(install.err()).isZero();

        Path standIn = Path.of("target", "test-classes", "claude", "stand-in-messages-api.py")
                .toAbsolutePath();
        Process messages = new ProcessBuilder("python3", standIn.toString(), Integer.toString(api), "-")
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("api.log").toFile())
                .start();
        started.add(messages);
        ProcessBuilder pb = new ProcessBuilder(
                        claude.toString(),
                        "-p",
                        "SCRIPT dir=" + project + " ; go",
                        "--permission-mode",
                        "bypassPermissions")
                .directory(project.toFile())
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("claude.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().put("CLAUDE_CONFIG_DIR", config.toString());
        pb.environment().put("HOME", SoloProcess.userHome(home).toString());
        pb.environment().put("ANTHROPIC_BASE_URL", "http://127.0.0.1:" + api);
        pb.environment().put("ANTHROPIC_API_KEY", "sk-test");
        pb.environment().put("IS_SANDBOX", "1"); // bypassPermissions as root, in this throw-away project
        Process session = pb.start();
        started.add(session);
        assertThat(session.waitFor(150, TimeUnit.SECONDS))
                .as("the Claude Code session finished")
                .isTrue();
        assertThat(session.exitValue())
                .as(Files.readString(home.resolve("claude.log")))
                .isZero();

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
        assertThat(Files.readString(config.resolve("settings.json"))).doesNotContain(token);
    }
}
