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
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where no service manager keeps the monitor, the SessionStart hook starts it when none answers and
 * delivers its own event once it is up, before it returns: after a reboot the first session brings the
 * monitor back and loses none of its events (Claude Code runs a session's next hooks only after
 * SessionStart's), with no secret on any command line.
 */
class AutostartIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    @AfterEach
    void tearDown() {
        SoloProcess.killResidents(home);
    }

    @Test
    @Timeout(120)
    void theSessionStartHookStartsAMissingMonitorAndDeliversItsEvent() throws Exception {
        int port = SoloProcess.freePort();
        Path settings = SoloProcess.userHome(home).resolve(".claude/settings.json");
        var install = SoloProcess.run(
                home, SoloProcess.noClaude(home), List.of(), "monitor", "hooks", "install", "--port", "" + port);
        assertThat(install.exit()).as(install.err()).isZero();
        String command = sessionStartCommand(settings);
        Path script = home.resolve(Autostart.FILE);
        assertThat(command)
                .contains(HooksCommandShell.quote(script) + " --port " + port)
                .doesNotContain(IngestKey.loadOrCreate(home).value())
                .doesNotContain(Registry.at(home).token().value());
        assertThat(Files.readString(script))
                .doesNotContain(IngestKey.loadOrCreate(home).value())
                .doesNotContain(Registry.at(home).token().value());

        // no monitor: the hook starts it and returns once its event is stored; the monitor runs on
        assertThat(runHook(command, "{\"session_id\":\"s-1\",\"hook_event_name\":\"SessionStart\"}"))
                .isZero();
        assertThat(events(port)).containsExactly("SessionStart");

        // a monitor that answers: the hook only posts
        assertThat(runHook(command, "{\"session_id\":\"s-2\",\"hook_event_name\":\"SessionStart\"}"))
                .isZero();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> count(port) == 2);
        assertThat(Registry.at(home).records()).hasSize(1);
    }

    @Test
    @Timeout(300)
    @Requires({Prerequisite.CLAUDE_CODE, Prerequisite.PYTHON3})
    void aRealSessionBringsTheMonitorBackAndLosesNothing() throws Exception {
        int port = SoloProcess.freePort();
        try (StandInApi api = StandInApi.start(home.resolve("api"), Duration.ofMillis(20))) {
            ClaudeCode claude = ClaudeCode.in(home.resolve("claude"), api);
            Map<String, String> env =
                    Map.of("CLAUDE_CONFIG_DIR", claude.configDir().toString());
            var install = SoloProcess.run(home, env, List.of(), "monitor", "hooks", "install", "--port", "" + port);
            assertThat(install.exit()).as(install.err()).isZero();
            assertThat(install.err()).contains("no solo monitor answers on port " + port);
            Path project = Files.createDirectories(home.resolve("project"));

            Files.writeString(project.resolve("README.md"), "Hello world\n");
            ClaudeCode.Result first = claude.run(project, "SCRIPT dir=" + project + " ; go");
            assertThat(first.exit()).as(first.stderr()).isZero();
            // the session that found no monitor lost nothing: its SessionStart brought the monitor up first
            String started =
                    first.transcript().orElseThrow().getFileName().toString().replace(".jsonl", "");
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> events(port, started).contains("SessionEnd"));
            assertThat(events(port, started))
                    .contains("SessionStart", "UserPromptSubmit", "PreToolUse", "PostToolUse", "Stop", "SessionEnd");

            Files.writeString(project.resolve("README.md"), "Hello world\n");
            Files.deleteIfExists(project.resolve("notes.txt"));
            ClaudeCode.Result second = claude.run(project, "SCRIPT dir=" + project + " ; go");
            assertThat(second.exit()).as(second.stderr()).isZero();
            String session =
                    second.transcript().orElseThrow().getFileName().toString().replace(".jsonl", "");
            assertThat(events(port, session))
                    .contains("SessionStart", "UserPromptSubmit", "PreToolUse", "PostToolUse", "Stop", "SessionEnd");
            assertThat(Registry.at(home).records()).hasSize(1);
        }
    }

    static String sessionStartCommand(Path settings) throws Exception {
        return JSON.readTree(Files.readString(settings))
                .get("hooks")
                .get("SessionStart")
                .get(0)
                .get("hooks")
                .get(0)
                .get("command")
                .asText();
    }

    /** Runs a command hook as Claude Code does: {@code sh -c}, the event on stdin. */
    static int runHook(String command, String event) throws Exception {
        Process sh = new ProcessBuilder("sh", "-c", command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        sh.getOutputStream().write(event.getBytes());
        sh.getOutputStream().close();
        try {
            return sh.waitFor(90, TimeUnit.SECONDS) ? sh.exitValue() : -1;
        } finally {
            sh.destroyForcibly();
        }
    }

    List<String> events(int port) throws Exception {
        return events(port, null);
    }

    /** The event names stored (of one stream, or all); empty while no monitor answers. */
    List<String> events(int port, String stream) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode n : names(port, stream)) out.add(n.get("event").asText());
        return out;
    }

    long count(int port) throws Exception {
        long sum = 0;
        for (JsonNode n : names(port, null)) sum += n.get("count").asLong();
        return sum;
    }

    private JsonNode names(int port, String stream) throws Exception {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/event-names"
                                            + (stream == null ? "" : "?stream=" + stream)))
                                    .header(
                                            "Authorization",
                                            "Bearer "
                                                    + Registry.at(home).token().value())
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()).get("names") : JSON.createArrayNode();
        } catch (java.io.IOException notUp) {
            return JSON.createArrayNode();
        }
    }

    /** The shell quoting the installer uses, for the expected command text. */
    static final class HooksCommandShell {
        static String quote(Path p) {
            return dev.solo.monitor.hooks.HooksInstaller.shellQuote(p.toString());
        }
    }
}
