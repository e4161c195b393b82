package dev.solo.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.solo.core.ClaimResult;
import dev.solo.core.LineServer;
import dev.solo.core.PortPolicy;
import dev.solo.core.Registry;
import dev.solo.core.Response;
import dev.solo.core.SingleInstance;
import dev.solo.core.Verb;
import dev.solo.monitor.security.IngestKey;
import dev.solo.testing.OtherUser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8's attacks on the monitor, run for real: the attacker is another OS user ({@code nobody}) that
 * holds the port of the victim's stopped monitor, as a relay to the victim's own live monitor or as a
 * squatter that names an unrelated pid. The victim runs the real {@code solo} commands. The tests assert
 * what the attacker received (no token, at most the ingest key), what the victim was told, and that no
 * process was signalled.
 */
class MonitorAttackIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    Path home;
    OtherUser attacker;
    String token;
    final List<Process> mine = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        attacker = new OtherUser(tmp);
        home = tmp.resolve("solo");
        token = Registry.at(home).token().value();
    }

    @AfterEach
    void tearDown() {
        if (attacker != null) attacker.close();
        for (Process p : mine) p.destroyForcibly();
        if (home != null) {
            SoloProcess.killResidents(home);
        }
    }

    SoloProcess.Result solo(Map<String, String> env, String... args) throws Exception {
        return SoloProcess.run(home, env, List.of(), args);
    }

    /** The victim's own monitor on a port of its own; its pid. */
    long liveMonitor(int port) throws Exception {
        var r = solo(Map.of(), "monitor", "--port", Integer.toString(port), "--no-browser");
        assertThat(r.exit()).as(r.err()).isZero();
        return Registry.at(home).records("solo-monitor").stream()
                .filter(x -> x.port() == port)
                .findFirst()
                .orElseThrow()
                .pid();
    }

    /** A browser the victim's commands would start: it writes what it was asked to open. */
    Map<String, String> browser() throws Exception {
        Path script = tmp.resolve("browser.sh");
        Files.writeString(script, "#!/bin/sh\necho \"$@\" >> " + tmp.resolve("browser.log") + "\n");
        script.toFile().setExecutable(true);
        return Map.of("SOLO_NO_BROWSER", "0", "BROWSER", script.toString());
    }

    static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRelayThroughTheVictimsOwnMonitorGetsNoSecretAndNothingIsSignalled() throws Exception {
        int live = SoloProcess.freePort();
        long livePid = liveMonitor(live);
        int port = SoloProcess.freePort();
        Path log = attacker.dir().resolve("relay.log");
        attacker.script("relay.py", Integer.toString(port), Integer.toString(live), log.toString());
        // the relayed /health is the real monitor's, proof and all
        assertThat(get(port, "/health").body()).contains("\"port\":" + live);

        String p = Integer.toString(port);
        var start = solo(browser(), "monitor", "--port", p);
        assertThat(start.exit()).isEqualTo(1);
        assertThat(start.out()).isEmpty();
        assertThat(start.err())
                .startsWith("Error: Port " + port + " is already in use by another service.")
                .contains("Details: Port " + port + " is held by another program that answers with the identity of"
                        + " solo-monitor on port " + live)
                .contains("relays");
        for (String cmd : new String[] {"open", "stop"}) {
            var r = solo(browser(), "monitor", cmd, "--port", p);
            assertThat(r.exit()).as(cmd).isEqualTo(1);
            assertThat(r.err())
                    .as(cmd)
                    .startsWith("Error: port " + port + " is held by another program")
                    .contains("nothing was sent to it and nothing was signalled");
        }
        var status = solo(Map.of(), "monitor", "status", "--port", p);
        assertThat(status.exit()).isEqualTo(1);
        assertThat(status.out()).contains("port " + port + " is held by another program");

        String received = Files.exists(log) ? Files.readString(log) : "";
        assertThat(received).contains("GET /health?nonce="); // it was asked who it is, and nothing more
        assertThat(received)
                .doesNotContain(token)
                .doesNotContain("Authorization")
                .doesNotContain("/api/login-code")
                .doesNotContain("/api/shutdown")
                .doesNotContain("/api/status");
        assertThat(tmp.resolve("browser.log")).doesNotExist();
        // nothing was signalled: the victim's real monitor, whose pid the relay passed on, still serves
        assertThat(ProcessHandle.of(livePid).map(ProcessHandle::isAlive)).contains(true);
        assertThat(get(live, "/health").statusCode()).isEqualTo(200);
    }

    @Test
    void aSquatterThatNamesAnUnrelatedPidGetsNothingAndThatProcessLives() throws Exception {
        Process unrelated = new ProcessBuilder("sleep", "120").start();
        mine.add(unrelated);
        int port = SoloProcess.freePort();
        Path log = attacker.dir().resolve("squatter.log");
        attacker.script(
                "squatter.py",
                Integer.toString(port),
                log.toString(),
                System.getProperty("user.name"),
                Long.toString(unrelated.pid()));
        String p = Integer.toString(port);
        var stop = solo(Map.of(), "monitor", "stop", "--port", p);
        assertThat(stop.exit()).isEqualTo(1);
        assertThat(stop.err())
                .startsWith("Error: port " + port + " is held by another program that calls itself solo-monitor")
                .contains("cannot prove it knows your token");
        assertThat(stop.out()).isEmpty();
        assertThat(unrelated.isAlive()).isTrue();
        assertThat(solo(browser(), "monitor", "open", "--port", p).exit()).isEqualTo(1);
        assertThat(solo(browser(), "monitor", "--port", p).exit()).isEqualTo(1);
        assertThat(solo(Map.of(), "monitor", "status", "--port", p).exit()).isEqualTo(1);
        assertThat(solo(Map.of(), "monitor", "restart", "--port", p, "--no-browser")
                        .exit())
                .isEqualTo(1);
        assertThat(unrelated.isAlive()).isTrue();

        List<String> requests = Files.readAllLines(log);
        assertThat(requests).isNotEmpty().allSatisfy(line -> {
            JsonNode r = JSON.readTree(line);
            assertThat(r.get("line").asText()).startsWith("GET /health?nonce=");
            assertThat(line).doesNotContain(token).doesNotContain("Authorization");
        });
        assertThat(tmp.resolve("browser.log")).doesNotExist();
    }

    @Test
    void hooksHandASquatterTheIngestKeyAtMostAndThatKeyCannotReadStopOrDelegate() throws Exception {
        int live = SoloProcess.freePort();
        long livePid = liveMonitor(live);
        int port = SoloProcess.freePort();
        // The hooks were installed while the port was free (install refuses a port another program holds);
        // then, with the monitor down, the squatter took it.
        var install = solo(SoloProcess.noClaude(home), "monitor", "hooks", "install", "--port", Integer.toString(port));
        assertThat(install.exit()).as(install.err()).isZero();
        Path log = attacker.dir().resolve("squatter.log");
        attacker.script("squatter.py", Integer.toString(port), log.toString(), "root", "1");
        Path settings = SoloProcess.userHome(home).resolve(".claude/settings.json");
        JsonNode hooks = JSON.readTree(Files.readString(settings)).get("hooks");

        // Claude Code runs the SessionStart command hook with the event on stdin, and posts HTTP hooks
        String command = hooks.get("SessionStart")
                .get(0)
                .get("hooks")
                .get(0)
                .get("command")
                .asText();
        Process sh = new ProcessBuilder("sh", "-c", command).start();
        sh.getOutputStream()
                .write("{\"session_id\":\"s1\",\"hook_event_name\":\"SessionStart\"}".getBytes(StandardCharsets.UTF_8));
        sh.getOutputStream().close();
        assertThat(sh.waitFor()).isZero();
        JsonNode http = hooks.get("PreToolUse").get(0).get("hooks").get(0);
        HttpRequest.Builder post = HttpRequest.newBuilder(
                        URI.create(http.get("url").asText()))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"session_id\":\"s1\",\"hook_event_name\":\"PreToolUse\"}"));
        http.get("headers")
                .fields()
                .forEachRemaining(h -> post.header(h.getKey(), h.getValue().asText()));
        assertThat(HttpClient.newHttpClient()
                        .send(post.build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(200);

        String received = Files.readString(log);
        String key = IngestKey.loadOrCreate(home).value();
        assertThat(received).contains("SessionStart").contains("PreToolUse").contains(key); // what point 2 allows
        assertThat(received).doesNotContain(token);

        // what the stolen key opens on the victim's real monitor: appending, nothing else
        String base = "http://127.0.0.1:" + live;
        for (String[] call : new String[][] {
            {"GET", "/api/events", "403"}, {"GET", "/api/live", "403"}, {"GET", "/api/status", "403"},
            {"GET", "/api/streams", "403"}, {"POST", "/api/login-code", "403"}, {"POST", "/api/shutdown", "403"},
            {"POST", "/api/hooks", "200"}
        }) {
            var r = OtherUser.run(
                    OtherUser.program("curl"),
                    "-s",
                    "-o",
                    "/dev/null",
                    "-w",
                    "%{http_code}",
                    "-X",
                    call[0],
                    "-H",
                    "Authorization: Bearer " + key,
                    "-H",
                    "Content-Type: application/json",
                    "--data-binary",
                    "{\"session_id\":\"attacker\",\"hook_event_name\":\"Stop\"}",
                    base + call[1]);
            assertThat(r.out()).as(call[0] + " " + call[1]).isEqualTo(call[2]);
        }
        // ... and it is not a token for any resident of the victim's
        SingleInstance app = SingleInstance.builder("solo-attack-probe")
                .policy(PortPolicy.ephemeral())
                .registry(Registry.at(home))
                .build();
        try (LineServer resident = LineServer.builder(app)
                .verb(Verb.concurrent("SECRET", req -> Response.success("the victim's secret")))
                .start((ClaimResult.Claimed) app.claim())) {
            var r = OtherUser.run(
                    OtherUser.program("python3"),
                    "-c",
                    "import socket,sys; s=socket.create_connection(('127.0.0.1'," + resident.port() + "));"
                            + " s.sendall(b'AUTH " + key + "\\nSECRET\\n'); print(s.recv(4096).decode())");
            assertThat(r.out()).startsWith("ERROR").doesNotContain("the victim's secret");
        }
        assertThat(ProcessHandle.of(livePid).map(ProcessHandle::isAlive)).contains(true);
    }
}
