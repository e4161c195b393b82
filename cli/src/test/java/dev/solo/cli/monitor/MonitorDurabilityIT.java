package dev.solo.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.solo.core.Registry;
import dev.solo.monitor.security.IngestKey;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The background monitor as a real process: kill -9 mid-burst, restart, reuse-path class loading, hooks. */
class MonitorDurabilityIT {
    static final int ACKED_BEFORE_KILL = 1000;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    @AfterEach
    void killEverything() {
        SoloProcess.killResidents(home);
    }

    /** Generous: on a loaded 2-core machine the burst and two JVM starts take minutes, not seconds. */
    @Test
    @Timeout(300)
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
        // The kill comes while the burst is on: after this many acknowledged events, whenever that is.
        CountDownLatch enough = new CountDownLatch(ACKED_BEFORE_KILL);
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
        assertThat(enough.await(240, TimeUnit.SECONDS))
                .as("%d events acknowledged before the kill", ACKED_BEFORE_KILL)
                .isTrue();
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
        assertThat(ackedAtKill).hasSizeGreaterThanOrEqualTo(ACKED_BEFORE_KILL);
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
        Path userHome = SoloProcess.userHome(home);
        Path settings = userHome.resolve(".claude/settings.json");
        Files.createDirectories(settings.getParent());
        String foreign = "{\"model\":\"opus\",\"hooks\":{\"PreToolUse\":[{\"matcher\":\"Bash\",\"hooks\":[{\"type\":"
                + "\"command\",\"command\":\"echo mine\"}]}]}}";
        Files.writeString(settings, foreign);
        List<String> jvm = List.of();
        Map<String, String> env = Map.of("PATH", claudeOnPath(null).toString()); // no claude: the 2.1.x set
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
                .isEqualTo("Bearer " + IngestKey.loadOrCreate(home).value());
        assertThat(Files.readString(settings))
                .doesNotContain(Registry.at(home).token().value());
        JsonNode start = root.get("hooks").get("SessionStart");
        assertThat(start).hasSize(1);
        assertThat(start.get(0).get("hooks").get(0).get("type").asText()).isEqualTo("command");
        assertThat(start.get(0).get("hooks").get(0).get("command").asText())
                .startsWith("e=$(cat); printf '%s' \"$e\" | curl ") // posts, and starts a missing monitor
                .contains("-H @'" + IngestKey.fileIn(home) + "'")
                .doesNotContain("Authorization");
        List<String> names = new ArrayList<>();
        root.get("hooks").fieldNames().forEachRemaining(names::add);
        assertThat(names).hasSize(31);

        // rotating the token leaves hooks alone: they carry the ingest key
        String before = Files.readString(settings);
        var rotate = SoloProcess.run(home, env, jvm, "monitor", "token", "--rotate");
        assertThat(rotate.exit()).as(rotate.err()).isZero();
        assertThat(rotate.out()).doesNotContain("Updated the hooks");
        assertThat(Files.readString(settings)).isEqualTo(before);

        var uninstall = SoloProcess.run(home, env, jvm, "monitor", "hooks", "uninstall");
        assertThat(uninstall.exit()).isZero();
        assertThat(JSON.readTree(Files.readString(settings))).isEqualTo(JSON.readTree(foreign));
    }

    /**
     * Which event set {@code hooks install} writes for the {@code claude} it finds on PATH: a stub that
     * prints the chosen version, one per range that {@code HookEvents} tells apart (and none at all).
     */
    @ParameterizedTest(name = "claude --version says {0}")
    @CsvSource(
            nullValues = "none",
            value = {
                "none, 31",
                "1.0.128 (Claude Code), 9",
                "2.0.76 (Claude Code), 9",
                "2.1.0 (Claude Code), 12",
                "2.1.197 (Claude Code), 30",
                "2.1.250 (Claude Code), 31",
                "2.1.251 (Claude Code), 33",
                "2.1.332 (Claude Code), 33"
            })
    void hooksInstallWritesTheEventSetOfTheClaudeOnPath(String version, int events) throws Exception {
        Path settings = home.resolve("user/.claude/settings.json");
        Map<String, String> env = Map.of("PATH", claudeOnPath(version).toString());
        var r = SoloProcess.run(home, env, List.of(), "monitor", "hooks", "install", "--port", "18999");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Installed solo monitor hooks for " + events + " events in " + settings);
        assertThat(r.out())
                .contains(
                        version == null
                                ? "No 'claude' on PATH: used the event set documented for Claude Code 2.1.x."
                                : "Event set for Claude Code " + version + ".");
        List<String> names = new ArrayList<>();
        JSON.readTree(Files.readString(settings)).get("hooks").fieldNames().forEachRemaining(names::add);
        assertThat(names).hasSize(events).contains("PreToolUse", "SessionStart");
        if (events == 33) assertThat(names).contains("PreModelSwitch", "PostModelSwitch");
        if (events == 9) assertThat(names).doesNotContain("PermissionRequest", "Setup");
        if (events == 30) assertThat(names).doesNotContain("DirectoryAdded"); // 2.1.197 does not know it
    }

    /** A directory for PATH holding only a {@code claude} that prints {@code version} (none when null). */
    private Path claudeOnPath(String version) throws IOException {
        Path dir = Files.createDirectories(home.resolve("bin-" + (version == null ? "none" : version.split(" ")[0])));
        if (version != null) {
            Path claude = dir.resolve("claude");
            Files.writeString(claude, "#!/bin/sh\necho '" + version + "'\n");
            Files.setPosixFilePermissions(claude, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return dir;
    }
}
