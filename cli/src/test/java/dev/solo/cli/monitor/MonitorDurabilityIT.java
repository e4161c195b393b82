package dev.solo.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.solo.core.InstanceRecord;
import dev.solo.core.Registry;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The background monitor as a real process: kill -9 mid-burst, restart, reuse-path class loading, hooks. */
class MonitorDurabilityIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    @AfterEach
    void killEverything() {
        for (InstanceRecord r : Registry.at(home).records()) {
            ProcessHandle.of(r.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void killMinus9DuringABurstLosesNoAcknowledgedEventAndRestartKeepsHistory() throws Exception {
        int port = SoloProcess.freePort();
        String p = Integer.toString(port);
        var start = SoloProcess.run(home, Map.of(), List.of(), "monitor", "--port", p, "--no-browser");
        assertThat(start.exit()).as(start.err()).isZero();
        long pid = Registry.at(home).records("solo-monitor").get(0).pid();
        String token = Registry.at(home).token().value();
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Set<Integer> acked = ConcurrentHashMap.newKeySet();
        CountDownLatch enough = new CountDownLatch(2000);
        ExecutorService senders = Executors.newFixedThreadPool(8);
        for (int t = 0; t < 8; t++) {
            int thread = t;
            senders.submit(() -> {
                for (int i = thread; ; i += 8) {
                    try {
                        HttpResponse<String> r = http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/hooks"))
                                        .header("Authorization", "Bearer " + token)
                                        .timeout(Duration.ofSeconds(5))
                                        .POST(HttpRequest.BodyPublishers.ofString(
                                                "{\"session_id\":\"burst\",\"hook_event_name\":\"PreToolUse\",\"seq\":"
                                                        + i + "}"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200) {
                            acked.add(i);
                            enough.countDown();
                        }
                    } catch (Exception dead) {
                        return null; // the server was killed
                    }
                }
            });
        }
        assertThat(enough.await(40, TimeUnit.SECONDS)).isTrue();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // kill -9 while the burst goes on
        ProcessHandle.of(pid).ifPresent(ph -> ph.onExit().join());
        senders.shutdown();
        assertThat(senders.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        Set<Integer> ackedAtKill = Set.copyOf(acked);

        var restart = SoloProcess.run(home, Map.of(), List.of(), "monitor", "--port", p, "--no-browser");
        assertThat(restart.exit()).as(restart.err()).isZero();
        assertThat(restart.out()).startsWith("Starting solo monitor");
        Set<Integer> stored = new java.util.HashSet<>();
        long after = 0;
        while (true) {
            String body = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                            + "/api/events?stream=burst&limit=1000&after=" + after))
                                    .header("Authorization", "Bearer " + token)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            JsonNode events = JSON.readTree(body).get("events");
            if (events.isEmpty()) break;
            for (JsonNode e : events) stored.add(e.get("data").get("seq").asInt());
            after = events.get(events.size() - 1).get("id").asLong();
        }
        assertThat(ackedAtKill).hasSizeGreaterThanOrEqualTo(2000);
        assertThat(stored).containsAll(ackedAtKill);
        assertThat(SoloProcess.run(home, Map.of(), List.of(), "monitor", "stop", "--port", p)
                        .exit())
                .isZero();
    }

    @Test
    void theReusePathLoadsNoServerClasses() throws Exception {
        int port = SoloProcess.freePort();
        String p = Integer.toString(port);
        assertThat(SoloProcess.run(home, Map.of(), List.of(), "monitor", "--port", p, "--no-browser")
                        .exit())
                .isZero();
        var reuse = SoloProcess.run(
                home, Map.of(), List.of("-Xlog:class+load=info:stdout"), "monitor", "--port", p, "--no-browser");
        assertThat(reuse.exit()).isZero();
        List<String> loaded =
                reuse.out().lines().filter(l -> l.contains("[class,load]")).toList();
        assertThat(loaded).hasSizeGreaterThan(100);
        assertThat(loaded)
                .noneMatch(l -> l.contains("org.eclipse.jetty")
                        || l.contains("com.fasterxml")
                        || l.contains("org.sqlite")
                        || l.contains("dev.solo.monitor."));
        assertThat(reuse.out()).contains("Monitor already running at http://localhost:" + port);
        assertThat(SoloProcess.run(home, Map.of(), List.of(), "monitor", "stop", "--port", p)
                        .exit())
                .isZero();
    }

    @Test
    void hooksInstallTwiceKeepsOneEntryPerEventAndForeignHooks() throws Exception {
        Path userHome = Files.createDirectories(home.resolve("user"));
        Path settings = userHome.resolve(".claude/settings.json");
        Files.createDirectories(settings.getParent());
        String foreign = "{\"model\":\"opus\",\"hooks\":{\"PreToolUse\":[{\"matcher\":\"Bash\",\"hooks\":[{\"type\":"
                + "\"command\",\"command\":\"echo mine\"}]}]}}";
        Files.writeString(settings, foreign);
        List<String> jvm = List.of("-Duser.home=" + userHome);
        Map<String, String> env = Map.of("PATH", "/usr/bin:/bin"); // no claude: the documented 2.1.x set
        for (int i = 0; i < 2; i++) {
            var r = SoloProcess.run(home, env, jvm, "monitor", "hooks", "install", "--port", "18999");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out())
                    .contains("Installed solo monitor hooks for 31 events in " + settings)
                    .contains("No 'claude' on PATH: used the event set documented for Claude Code 2.1.x.");
        }
        JsonNode root = JSON.readTree(Files.readString(settings));
        assertThat(root.get("model").asText()).isEqualTo("opus");
        JsonNode pre = root.get("hooks").get("PreToolUse");
        assertThat(pre).hasSize(2);
        assertThat(pre.get(0).get("hooks").get(0).get("command").asText()).isEqualTo("echo mine");
        assertThat(pre.get(1).get("hooks").get(0).get("type").asText()).isEqualTo("http");
        assertThat(pre.get(1).get("hooks").get(0).get("url").asText()).isEqualTo("http://127.0.0.1:18999/api/hooks");
        assertThat(pre.get(1)
                        .get("hooks")
                        .get(0)
                        .get("headers")
                        .get("Authorization")
                        .asText())
                .isEqualTo("Bearer " + Registry.at(home).token().value());
        JsonNode start = root.get("hooks").get("SessionStart");
        assertThat(start).hasSize(1);
        assertThat(start.get(0).get("hooks").get(0).get("type").asText()).isEqualTo("command");
        assertThat(start.get(0).get("hooks").get(0).get("command").asText()).startsWith("curl ");
        List<String> names = new ArrayList<>();
        root.get("hooks").fieldNames().forEachRemaining(names::add);
        assertThat(names).hasSize(31);

        var rotate = SoloProcess.run(home, env, jvm, "monitor", "token", "--rotate");
        assertThat(rotate.exit()).as(rotate.err()).isZero();
        assertThat(rotate.out()).contains("Updated the hooks in " + settings);
        String fresh = Registry.at(home).token().value();
        assertThat(Files.readString(settings)).contains("Bearer " + fresh);

        var uninstall = SoloProcess.run(home, env, jvm, "monitor", "hooks", "uninstall");
        assertThat(uninstall.exit()).isZero();
        assertThat(JSON.readTree(Files.readString(settings))).isEqualTo(JSON.readTree(foreign));
    }
}
