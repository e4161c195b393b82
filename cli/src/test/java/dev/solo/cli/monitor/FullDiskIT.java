package dev.solo.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.monitor.hooks.InstallList;
import dev.solo.monitor.security.IngestKey;
import dev.solo.testing.Tmpfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state directory on a real full disk (a small tmpfs a filler file fills): {@code hooks install} and
 * the rotations say which file they could not write and that nothing changed, and change nothing. Needs
 * root (to mount); skipped with the reason elsewhere.
 */
class FullDiskIT {
    @TempDir
    Path dir;

    Tmpfs disk;

    @AfterEach
    void unmount() throws Exception {
        if (disk != null) disk.close();
    }

    /** "Error: No space left on device" was all install said, with no file and no next step. */
    @Test
    @Timeout(90)
    void installAndRotationsOnAFullDiskNameTheFileAndChangeNothing() throws Exception {
        disk = Tmpfs.mount(dir.resolve("disk"), "300k");
        Path home = disk.dir().resolve("solo");
        Map<String, String> env = new HashMap<>(SoloProcess.noClaude(dir.resolve("env")));
        env.put("CLAUDE_CONFIG_DIR", dir.resolve("claude").toString()); // user-scope hooks off the full disk
        Path project = Files.createDirectories(dir.resolve("project"));
        String port = Integer.toString(SoloProcess.freePort());
        var first = SoloProcess.runIn(project, home, env, List.of(), "monitor", "hooks", "install", "--port", port);
        assertThat(first.exit()).as(first.err()).isZero();
        Path user = dir.resolve("claude/settings.json");
        String installed = Files.readString(user);
        byte[] key = Files.readAllBytes(IngestKey.fileIn(home));
        byte[] token = Files.readAllBytes(home.resolve("token"));
        var before = InstallList.in(home).read();

        disk.fill("filler");
        var r = SoloProcess.runIn(
                project, home, env, List.of(), "monitor", "hooks", "install", "--scope", "project", "--port", port);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err())
                .startsWith("Error: cannot write " + home)
                .contains("No space left on device")
                .contains("Free some space")
                .doesNotContain("Exception")
                .hasLineCount(1);
        assertThat(project.resolve(".claude")).doesNotExist();
        for (String option : List.of("--rotate-ingest", "--rotate")) {
            var t = SoloProcess.runIn(project, home, env, List.of(), "monitor", "token", option);
            assertThat(t.exit()).as(option).isEqualTo(1);
            assertThat(t.err())
                    .as(option)
                    .startsWith("Error: cannot write the ")
                    .contains("No space left on device")
                    .doesNotContain("Exception")
                    .hasLineCount(1);
        }
        assertThat(Files.readAllBytes(IngestKey.fileIn(home))).isEqualTo(key);
        assertThat(Files.readAllBytes(home.resolve("token"))).isEqualTo(token);
        assertThat(Files.readString(user)).isEqualTo(installed);
        assertThat(InstallList.in(home).read()).isEqualTo(before);
        try (var left = Files.list(home)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }
}
