package dev.solo.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.monitor.hooks.HooksInstaller;
import dev.solo.monitor.security.IngestKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hooks install} and {@code token --rotate-ingest} in two real processes at once. The install
 * read the key, then asked {@code claude --version} (a Node start, a second or more), then wrote the
 * file: a rotation in that gap rewrote the listed files, and the install then wrote the key that was no
 * longer current, so the monitor refused every hook of that file. Now the key is read, the list changed
 * and the file written in one step under the install list's lock, which the rotation holds too.
 */
class HooksRaceIT {
    @TempDir
    Path home;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void tearDown() {
        for (Process p : started) p.destroyForcibly();
    }

    /**
     * The gap made certain: a {@code claude} on PATH that answers {@code --version} only once the test
     * says so, after the rotation has run to its end.
     */
    @Test
    @Timeout(120)
    void aRotationWhileInstallAsksClaudeForItsVersionLeavesNoFileOnTheOldKey() throws Exception {
        Path bin = Files.createDirectories(home.resolve("bin"));
        Path asked = home.resolve("claude-asked");
        Path answer = home.resolve("claude-may-answer");
        Path claude = bin.resolve("claude");
        Files.writeString(
                claude,
                "#!/bin/sh\n: > '" + asked + "'\n"
                        + "n=0; while [ ! -e '" + answer + "' ] && [ $n -lt 1200 ]; do sleep 0.05; n=$((n+1)); done\n"
                        + "echo '2.1.197 (Claude Code)'\n");
        Files.setPosixFilePermissions(claude, PosixFilePermissions.fromString("rwx------"));
        Map<String, String> env = new HashMap<>();
        env.put("PATH", bin + ":/usr/bin:/bin");
        Path project = Files.createDirectories(home.resolve("project"));
        IngestKey before = IngestKey.loadOrCreate(home);
        String port = Integer.toString(SoloProcess.freePort());

        Process install = SoloProcess.startIn(
                project,
                home,
                env,
                home.resolve("install.log"),
                "monitor",
                "hooks",
                "install",
                "--scope",
                "project",
                "--port",
                port);
        started.add(install);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(asked));
        var rotate = SoloProcess.runIn(project, home, env, List.of(), "monitor", "token", "--rotate-ingest");
        assertThat(rotate.exit()).as(rotate.err()).isZero();
        Files.writeString(answer, "");
        assertThat(install.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(install.exitValue())
                .as(Files.readString(home.resolve("install.log")))
                .isZero();

        IngestKey now = IngestKey.loadOrCreate(home);
        assertThat(now.value()).isNotEqualTo(before.value());
        Path settings = project.resolve(".claude/settings.local.json");
        var status = HooksInstaller.status(settings, now, null);
        assertThat(status.events()).isNotEmpty();
        assertThat(status.stale()).as("hooks on a key the monitor refuses").isEmpty();
    }

    /** Installs in three projects and a rotation started together, three times: every file ends on the current key. */
    @Test
    @Timeout(240)
    void installsAndARotationStartedTogetherAllEndOnTheCurrentKey() throws Exception {
        Map<String, String> env = SoloProcess.noClaude(home);
        String port = Integer.toString(SoloProcess.freePort());
        List<Path> projects = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) projects.add(Files.createDirectories(home.resolve(name)));
        for (int round = 0; round < 3; round++) {
            List<Process> procs = new ArrayList<>();
            for (Path p : projects) {
                procs.add(SoloProcess.startIn(
                        p,
                        home,
                        env,
                        home.resolve("install-" + p.getFileName() + ".log"),
                        "monitor",
                        "hooks",
                        "install",
                        "--scope",
                        "project",
                        "--port",
                        port));
            }
            procs.add(SoloProcess.startIn(
                    home, home, env, home.resolve("rotate.log"), "monitor", "token", "--rotate-ingest"));
            started.addAll(procs);
            for (Process p : procs) {
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).isZero();
            }
            IngestKey now = IngestKey.loadOrCreate(home);
            for (Path p : projects) {
                var status = HooksInstaller.status(p.resolve(".claude/settings.local.json"), now, null);
                assertThat(status.events()).as("round " + round + ", " + p).isNotEmpty();
                assertThat(status.stale()).as("round " + round + ", " + p).isEmpty();
            }
        }
    }
}
