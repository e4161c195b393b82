package dev.solo.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.solo.core.Registry;
import dev.solo.monitor.security.IngestKey;
import dev.solo.testing.Ports;
import dev.solo.testing.Prerequisite;
import dev.solo.testing.Requires;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitor under socket activation, as systemd runs it ({@code StandardInput=socket}, {@code
 * Restart=on-failure}): a launcher holds the listening socket and hands it to the JVM as stdin; the
 * monitor serves on it, and after a crash the restarted JVM serves the same socket, so a hook posted
 * while it was down waits in the backlog and is stored, never refused.
 */
class SocketActivationIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    Process launcher;

    @AfterEach
    void tearDown() {
        if (launcher != null) {
            launcher.descendants().forEach(ProcessHandle::destroyForcibly);
            launcher.destroyForcibly();
        }
        SoloProcess.killResidents(home);
    }

    @Test
    @Timeout(180)
    @Requires(Prerequisite.PYTHON3)
    void theMonitorServesTheSocketItIsGivenAndARestartLosesNoHook() throws Exception {
        Path script = home.resolve("socket-activate.py");
        try (InputStream in = getClass().getResourceAsStream("socket-activate.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        int port = Ports.free();
        Path log = home.resolve("activate.log");
        List<String> cmd = new ArrayList<>(List.of(
                Prerequisite.PYTHON3.require(), script.toString(), Integer.toString(port), log.toString(), "--"));
        cmd.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + SoloProcess.userHome(home),
                "-jar",
                SoloProcess.JAR.toString(),
                "monitor",
                "--foreground",
                "--no-browser",
                "--port",
                Integer.toString(port)));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("py.out").toFile());
        pb.environment().put("SOLO_HOME", home.toString());
        pb.environment().put("HOME", SoloProcess.userHome(home).toString());
        launcher = pb.start();

        IngestKey key = IngestKey.loadOrCreate(home);
        // the launcher notes "started" once it listens and has spawned the JVM
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !launcher.isAlive() || Files.exists(log));
        assertThat(launcher.isAlive())
                .as("the launcher: %s", home.resolve("py.out"))
                .isTrue();
        // the first connection waits in the backlog until the JVM serves the socket
        assertThat(post(port, key, "s-1")).isEqualTo(200);
        JsonNode health = health(port);
        assertThat(health.get("port").asInt()).isEqualTo(port);
        long first = health.get("pid").asLong();
        assertThat(Files.readString(log)).isEqualTo("started " + first + "\n");
        var status = SoloProcess.run(home, java.util.Map.of(), List.of(), "monitor", "status", "--port", "" + port);
        assertThat(status.out())
                .as(status.err())
                .contains("solo monitor is running")
                .contains("pid " + first);

        // a crash: the launcher restarts the JVM on the same socket; a hook posted meanwhile is stored
        ProcessHandle.of(first).orElseThrow().destroyForcibly();
        assertThat(post(port, key, "s-2")).isEqualTo(200);
        long second = health(port).get("pid").asLong();
        assertThat(second).isNotEqualTo(first);
        assertThat(Files.readString(log)).startsWith("started " + first + "\nexited -9\nstarted " + second + "\n");
        assertThat(events(port)).isEqualTo(2);
    }

    static int post(int port, IngestKey key, String session) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/hooks"))
                                .header("Authorization", "Bearer " + key.value())
                                .header("Content-Type", "application/json")
                                .timeout(Duration.ofSeconds(90))
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"session_id\":\"" + session + "\",\"hook_event_name\":\"SessionStart\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    static JsonNode health(int port) throws Exception {
        return JSON.readTree(HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                                .timeout(Duration.ofSeconds(90))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body());
    }

    long events(int port) throws Exception {
        String token = Registry.at(home).token().value();
        long[] n = {-1};
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/status"))
                                    .header("Authorization", "Bearer " + token)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            n[0] = JSON.readTree(r.body()).path("events").asLong(-1);
            return r.statusCode() == 200;
        });
        return n[0];
    }
}
