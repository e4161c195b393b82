package dev.solo.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.solo.core.Registry;
import dev.solo.monitor.hooks.InstallList;
import dev.solo.monitor.security.IngestKey;
import dev.solo.testing.ClaudeCode;
import dev.solo.testing.Prerequisite;
import dev.solo.testing.Requires;
import dev.solo.testing.StandInApi;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The install list: every settings file solo wrote hooks into is rewritten by a key rotation and
 * reported by {@code hooks status}; a named monitor keeps its port; {@code install} says when no monitor
 * answers; {@code uninstall} leaves nothing it created. Real solo processes, real Claude Code where
 * it matters.
 */
class HookInstallsIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    @AfterEach
    void tearDown() {
        SoloProcess.killResidents(home);
    }

    SoloProcess.Result solo(Path cwd, Map<String, String> env, String... args) throws Exception {
        return SoloProcess.runIn(cwd, home, env, List.of(), args);
    }

    Path project(String name) throws Exception {
        return Files.createDirectories(home.resolve("projects").resolve(name));
    }

    @Test
    @Timeout(120)
    void statusNamesEveryInstallWithItsPortKeyAndMonitorAndTheFix() throws Exception {
        Map<String, String> env = SoloProcess.noClaude(home);
        Path alpha = project("alpha");
        Path beta = project("beta");
        int port = SoloProcess.freePort();
        String p = Integer.toString(port);
        var start = solo(alpha, env, "monitor", "--port", p, "--no-browser");
        assertThat(start.exit()).as(start.err()).isZero();
        for (Path dir : List.of(alpha, beta)) {
            var r = solo(dir, env, "monitor", "hooks", "install", "--scope", "project", "--port", p);
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.err()).isEmpty();
        }
        Path a = alpha.resolve(".claude/settings.local.json");
        Path b = beta.resolve(".claude/settings.local.json");
        Path list = InstallList.in(home).file();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(list)))
                .isEqualTo("rw-------");
        assertThat(InstallList.in(home).read())
                .extracting(InstallList.Install::file)
                .containsExactly(a, b);

        // from anywhere (here: neither project), status lists both
        var ok = solo(home, env, "monitor", "hooks", "status");
        assertThat(ok.exit()).as(ok.out()).isZero();
        assertThat(ok.out())
                .contains(a + " (project, port " + port + "): 31 events, key current, monitor answers (pid ")
                .contains(b + " (project, port " + port + "): 31 events, key current, monitor answers (pid ");

        // the key rotated behind solo's back, one file gone, the monitor stopped
        IngestKey.rotate(home); // the two curl hooks read the key file and stay current; the 29 HTTP hooks do not
        Files.delete(b);
        assertThat(solo(home, env, "monitor", "stop", "--port", p).exit()).isZero();
        var bad = solo(home, env, "monitor", "hooks", "status");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.out())
                .contains(a + " (project, port " + port + "): 31 events, key STALE, no monitor answers.")
                .contains("Stale: 29 hooks carry an ingest key that is no longer current; the monitor refuses them"
                        + " and their events are lost. Fix: 'solo monitor hooks refresh'.")
                .contains("Orphaned: no solo monitor runs on port " + port + ", so these hooks lose their events."
                        + " Fix: 'solo monitor --port " + port + "'.")
                .contains(b + " (project)\n  Gone: the file no longer exists. Fix: 'solo monitor hooks refresh' drops"
                        + " it from the list.");

        var refresh = solo(home, env, "monitor", "hooks", "refresh");
        assertThat(refresh.exit()).as(refresh.err()).isZero();
        assertThat(refresh.out())
                .contains("Rewrote " + a + " (31 events, port " + port + ", current ingest key).")
                .contains("Dropped " + b + " from the list: the file no longer exists.");
        assertThat(Files.readString(a)).contains(IngestKey.loadOrCreate(home).value());
        assertThat(InstallList.in(home).read())
                .extracting(InstallList.Install::file)
                .containsExactly(a);
    }

    @Test
    @Timeout(120)
    void rotationRewritesEveryFileAndSaysWhichItCouldNot() throws Exception {
        Map<String, String> env = SoloProcess.noClaude(home);
        Path alpha = project("alpha");
        Path beta = project("beta");
        String p = Integer.toString(SoloProcess.freePort());
        for (Path dir : List.of(alpha, beta)) {
            assertThat(solo(dir, env, "monitor", "hooks", "install", "--scope", "project", "--port", p)
                            .exit())
                    .isZero();
        }
        Path a = alpha.resolve(".claude/settings.local.json");
        Path b = beta.resolve(".claude/settings.local.json");
        String brokenText = "{ \"hooks\": ";
        Files.writeString(b, brokenText);
        var r = solo(alpha, env, "monitor", "token", "--rotate-ingest");
        assertThat(r.exit()).isEqualTo(1);
        IngestKey key = IngestKey.loadOrCreate(home);
        assertThat(r.out())
                .contains("Ingest key rotated (" + key.file() + ")")
                .contains("Rewrote " + a + " (31 events, port " + p + ", current ingest key).");
        assertThat(r.err())
                .startsWith("Error: could not rewrite " + b + ": " + b + " is not valid JSON")
                .contains("Its hooks are refused until it is fixed; then run 'solo monitor hooks refresh'.");
        assertThat(Files.readString(a)).contains(key.value());
        assertThat(Files.readString(b)).isEqualTo(brokenText); // nothing written over what it cannot read
    }

    /**
     * A key file that holds no key: the error names the one command that mends it everywhere, and that
     * command works (before, it said to delete the file and run 'hooks install', which left every other
     * settings file on the old key).
     */
    @Test
    @Timeout(90)
    void aBrokenKeyFileIsMendedByTheRotationItsErrorNames() throws Exception {
        Map<String, String> env = SoloProcess.noClaude(home);
        Path alpha = project("alpha");
        String p = Integer.toString(SoloProcess.freePort());
        Files.createDirectories(home);
        Files.writeString(IngestKey.fileIn(home), "garbage\n");
        Files.setPosixFilePermissions(IngestKey.fileIn(home), PosixFilePermissions.fromString("rw-------"));
        var refused = solo(alpha, env, "monitor", "hooks", "install", "--scope", "project", "--port", p);
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("does not hold a key").contains("Run 'solo monitor token --rotate-ingest'");
        assertThat(alpha.resolve(".claude/settings.local.json")).doesNotExist();

        var rotated = solo(alpha, env, "monitor", "token", "--rotate-ingest");
        assertThat(rotated.exit()).as(rotated.err()).isZero();
        assertThat(rotated.out()).contains("No settings file has solo hooks yet");
        var installed = solo(alpha, env, "monitor", "hooks", "install", "--scope", "project", "--port", p);
        assertThat(installed.exit()).as(installed.err()).isZero();
        assertThat(Files.readString(alpha.resolve(".claude/settings.local.json")))
                .contains(IngestKey.loadOrCreate(home).value());
    }

    /** The rotations once replaced the secret first, then found the list unreadable: every hook was left on a dead key. */
    @Test
    @Timeout(90)
    void aRotationWithAnUnreadableInstallListChangesNothing() throws Exception {
        Map<String, String> env = SoloProcess.noClaude(home);
        Path alpha = project("alpha");
        String p = Integer.toString(SoloProcess.freePort());
        assertThat(solo(alpha, env, "monitor", "hooks", "install", "--scope", "project", "--port", p)
                        .exit())
                .isZero();
        Path settings = alpha.resolve(".claude/settings.local.json");
        Path list = InstallList.in(home).file();
        Files.writeString(list, "{garbage");
        byte[] key = Files.readAllBytes(IngestKey.fileIn(home));
        byte[] token = Files.readAllBytes(home.resolve("token"));
        String hooks = Files.readString(settings);
        for (String option : List.of("--rotate-ingest", "--rotate")) {
            var r = solo(alpha, env, "monitor", "token", option);
            assertThat(r.exit()).as(option).isEqualTo(1);
            assertThat(r.out()).as(option).isEmpty();
            assertThat(r.err())
                    .as(option)
                    .startsWith("Error: the list of hook installs " + list + " is not readable")
                    .contains("nothing was changed")
                    .doesNotContain("Exception");
            assertThat(Files.readAllBytes(IngestKey.fileIn(home))).as(option).isEqualTo(key);
            assertThat(Files.readAllBytes(home.resolve("token"))).as(option).isEqualTo(token);
            assertThat(Files.readString(settings)).as(option).isEqualTo(hooks);
        }
    }

    /** Install once wrote hooks to a port another program held, and said to start a monitor there. */
    @Test
    @Timeout(60)
    void installOnAPortAnotherProgramHoldsIsRefusedAndWritesNothing() throws Exception {
        Map<String, String> env = SoloProcess.noClaude(home);
        Path alpha = project("alpha");
        int port = SoloProcess.freePort();
        try (ServerSocket other = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
            var r = solo(alpha, env, "monitor", "hooks", "install", "--scope", "project", "--port", "" + port);
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.out()).isEmpty();
            assertThat(r.err())
                    .startsWith("Error: port " + port + " is held by another program")
                    .contains("so none were installed in " + alpha.resolve(".claude/settings.local.json"))
                    .doesNotContain("Exception");
        }
        assertThat(alpha.resolve(".claude")).doesNotExist();
        assertThat(InstallList.in(home).read()).isEmpty();
    }

    @Test
    @Timeout(60)
    void installWithoutAMonitorWarnsAndUninstallLeavesNothingItCreated() throws Exception {
        Map<String, String> env = SoloProcess.noClaude(home);
        Path alpha = project("alpha");
        Path beta = project("beta");
        String p = Integer.toString(SoloProcess.freePort());
        var r = solo(alpha, env, "monitor", "hooks", "install", "--scope", "project", "--port", p);
        assertThat(r.exit()).isZero();
        assertThat(r.err())
                .isEqualTo("Warning: no solo monitor answers on port " + p + " now. Until one runs there, Claude Code"
                        + " drops these hooks' events (it only logs the failed hook). Start it with 'solo monitor"
                        + " --port " + p + "'.\n");
        var u = solo(alpha, env, "monitor", "hooks", "uninstall", "--scope", "project");
        assertThat(u.out()).contains("solo had created the file and nothing else was in it, so it is gone.");
        assertThat(alpha.resolve(".claude")).doesNotExist();

        // a file of the user's own: only our part goes
        Path mine = Files.createDirectories(beta.resolve(".claude")).resolve("settings.local.json");
        Files.writeString(mine, "{\"model\":\"opus\"}\n");
        solo(beta, env, "monitor", "hooks", "install", "--scope", "project", "--port", p);
        solo(beta, env, "monitor", "hooks", "uninstall", "--scope", "project");
        assertThat(Files.readString(mine)).isEqualTo("{\"model\":\"opus\"}\n"); // byte for byte
        assertThat(InstallList.in(home).read()).isEmpty();
    }

    @Test
    @Timeout(120)
    void aNamedMonitorKeepsItsPortAndATakenPortIsAnErrorNotAMove() throws Exception {
        Map<String, String> env = SoloProcess.noClaude(home);
        Path alpha = project("alpha");
        var first = solo(alpha, env, "monitor", "--name", "demo", "--no-browser");
        assertThat(first.exit()).as(first.err()).isZero();
        int port = Registry.at(home).records().get(0).port();
        var install = solo(alpha, env, "monitor", "hooks", "install", "--scope", "project", "--name", "demo");
        assertThat(install.out()).contains("(port " + port + ")");
        assertThat(install.err()).isEmpty();

        var restart = solo(alpha, env, "monitor", "restart", "--name", "demo", "--no-browser");
        assertThat(restart.exit()).as(restart.err()).isZero();
        assertThat(restart.out()).contains("Monitor running on port " + port);
        // the hooks installed before the restart still deliver: the SessionStart hook, run as Claude Code runs it
        String hook = AutostartIT.sessionStartCommand(alpha.resolve(".claude/settings.local.json"));
        assertThat(AutostartIT.runHook(hook, "{\"session_id\":\"n-1\",\"hook_event_name\":\"SessionStart\"}"))
                .isZero();
        assertThat(solo(alpha, env, "monitor", "status", "--name", "demo").out())
                .contains("http://localhost:" + port + " ")
                .contains("1 stream, 1 event");
        assertThat(solo(alpha, env, "monitor", "stop", "--name", "demo").exit()).isZero();

        try (ServerSocket squatter = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
            var taken = solo(alpha, env, "monitor", "--name", "demo", "--no-browser");
            assertThat(taken.exit()).isEqualTo(1);
            assertThat(taken.err())
                    .startsWith("Error: port " + port + ", which the named monitor 'demo' keeps (its hooks post there),"
                            + " is in use by another program, so it was not started and did not move.")
                    .contains("'solo monitor --name demo --new-port'")
                    .contains("Details: ");
            assertThat(Registry.at(home).records()).isEmpty();

            var moved = solo(alpha, env, "monitor", "--name", "demo", "--new-port", "--no-browser");
            assertThat(moved.exit()).as(moved.err()).isZero();
            int now = Registry.at(home).records().get(0).port();
            assertThat(now).isNotEqualTo(port);
            assertThat(moved.out())
                    .contains("Rewrote " + alpha.resolve(".claude/settings.local.json") + " (31 events, port " + now);
            assertThat(solo(alpha, env, "monitor", "hooks", "status").out())
                    .contains("(project, instance 'demo', port " + now + "): 31 events, key current, monitor answers");
        }
    }

    @Test
    @Timeout(120)
    void newPortInTheForegroundRewritesTheHooksOnceItServes() throws Exception {
        Map<String, String> env = SoloProcess.noClaude(home);
        Path alpha = project("alpha");
        assertThat(solo(alpha, env, "monitor", "--name", "demo", "--no-browser").exit())
                .isZero();
        int port = Registry.at(home).records().get(0).port();
        Path settings = alpha.resolve(".claude/settings.local.json");
        var install = solo(alpha, env, "monitor", "hooks", "install", "--scope", "project", "--name", "demo");
        assertThat(install.exit()).as(install.err()).isZero();
        assertThat(solo(alpha, env, "monitor", "stop", "--name", "demo").exit()).isZero();

        Path log = home.resolve("foreground.log");
        Process fg = SoloProcess.startIn(
                alpha, home, env, log, "monitor", "--name", "demo", "--new-port", "--foreground", "--no-browser");
        try {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> !fg.isAlive() || Files.readString(log).contains("Rewrote "));
            assertThat(fg.isAlive()).as(Files.readString(log)).isTrue(); // still serving, in the foreground
            int now = Registry.at(home).records().get(0).port();
            assertThat(now).isNotEqualTo(port);
            assertThat(Files.readString(log))
                    .contains("Monitor running on port " + now)
                    .contains("Rewrote " + settings + " (31 events, port " + now);
            assertThat(Files.readString(settings)).contains("127.0.0.1:" + now).doesNotContain(":" + port + "/");
            assertThat(solo(alpha, env, "monitor", "hooks", "status").out())
                    .contains("(project, instance 'demo', port " + now + "): 31 events, key current, monitor answers");
            assertThat(solo(alpha, env, "monitor", "stop", "--name", "demo").exit())
                    .isZero();
            assertThat(fg.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(fg.exitValue()).isZero();
        } finally {
            fg.destroyForcibly();
        }
    }

    /**
     * The scenario: two projects, real Claude Code sessions in both, the ingest key rotated,
     * sessions in both again: every event of every session is stored (the second run of the same
     * scripted session stores exactly what the first did), and no hook failed.
     */
    @Test
    @Timeout(420)
    @Requires({Prerequisite.CLAUDE_CODE, Prerequisite.PYTHON3})
    void realSessionsInTwoProjectsLoseNothingAcrossARotation() throws Exception {
        int port = SoloProcess.freePort();
        String p = Integer.toString(port);
        try (StandInApi api = StandInApi.start(home.resolve("api"), Duration.ofMillis(20))) {
            ClaudeCode claude = ClaudeCode.in(home.resolve("claude"), api);
            String version = claude.version();
            Map<String, String> env =
                    Map.of("CLAUDE_CONFIG_DIR", claude.configDir().toString());
            Path alpha = project("alpha");
            Path beta = project("beta");
            assertThat(solo(alpha, env, "monitor", "--port", p, "--no-browser").exit())
                    .isZero();
            for (Path dir : List.of(alpha, beta)) {
                var r = solo(dir, env, "monitor", "hooks", "install", "--scope", "project", "--port", p);
                assertThat(r.exit()).as(r.err()).isZero();
            }
            Map<String, Map<String, Long>> before =
                    Map.of("alpha", session(claude, alpha, port), "beta", session(claude, beta, port));

            var rotate = solo(alpha, env, "monitor", "token", "--rotate-ingest");
            assertThat(rotate.exit()).as(rotate.err()).isZero();
            assertThat(rotate.out())
                    .contains("Rewrote " + alpha.resolve(".claude/settings.local.json"))
                    .contains("Rewrote " + beta.resolve(".claude/settings.local.json"));

            Map<String, Map<String, Long>> after =
                    Map.of("alpha", session(claude, alpha, port), "beta", session(claude, beta, port));
            assertThat(after).as("Claude Code " + version).isEqualTo(before);
            for (Map<String, Long> events : after.values()) {
                assertThat(events)
                        .containsKeys(
                                "SessionStart", "UserPromptSubmit", "PreToolUse", "PostToolUse", "Stop", "SessionEnd");
            }
        }
    }

    /** Runs the scripted session in {@code project}; the events the monitor stored for it, by name. */
    private Map<String, Long> session(ClaudeCode claude, Path project, int port) throws Exception {
        // the same start each time: the script edits "Hello world" in README.md and writes notes.txt
        Files.writeString(project.resolve("README.md"), "Hello world\n");
        Files.deleteIfExists(project.resolve("notes.txt"));
        ClaudeCode.Result r = claude.run(project, "SCRIPT dir=" + project + " ; go");
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.stderr()).doesNotContain("HTTP 401").doesNotContain("ECONNREFUSED");
        String session = r.transcript().orElseThrow().getFileName().toString().replace(".jsonl", "");
        String token = Registry.at(home).token().value();
        HttpResponse<String> names = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/event-names?stream="
                                        + URLEncoder.encode(session, StandardCharsets.UTF_8)))
                                .header("Authorization", "Bearer " + token)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(names.statusCode()).as(names.body()).isEqualTo(200);
        Map<String, Long> out = new TreeMap<>();
        for (JsonNode n : JSON.readTree(names.body()).get("names"))
            out.put(n.get("event").asText(), n.get("count").asLong());
        return out;
    }
}
