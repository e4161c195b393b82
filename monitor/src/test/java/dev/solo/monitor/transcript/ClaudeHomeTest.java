package dev.solo.monitor.transcript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one gate to transcripts: only regular .jsonl files inside the Claude config directory. */
class ClaudeHomeTest {
    @TempDir
    Path tmp;

    Path claude() throws Exception {
        Path c = tmp.resolve(".claude");
        Files.createDirectories(c.resolve("projects/p"));
        return c;
    }

    @Test
    void readsAPlainTranscriptInsideTheDirectory() throws Exception {
        Path c = claude();
        Path t = Files.writeString(c.resolve("projects/p/s.jsonl"), "{}\n");
        assertThat(new ClaudeHome(c).check(t.toString())).isEqualTo(t.toRealPath());
    }

    @Test
    void refusesEverythingElseAndSaysWhy() throws Exception {
        Path c = claude();
        ClaudeHome home = new ClaudeHome(c);
        Path outside = Files.writeString(tmp.resolve("secret.jsonl"), "{}\n");
        assertThatThrownBy(() -> home.check(outside.toString()))
                .hasMessageContaining("not inside the Claude config directory");
        assertThatThrownBy(() ->
                        home.check(c.resolve("projects/p/../../../secret.jsonl").toString()))
                .hasMessageContaining("not inside");
        // a symlink inside ~/.claude that points out of it
        Path link = Files.createSymbolicLink(c.resolve("projects/p/link.jsonl"), outside);
        assertThatThrownBy(() -> home.check(link.toString())).hasMessageContaining("not inside");
        // a directory, a file of another kind, a relative path, nothing
        Files.createDirectories(c.resolve("projects/p/dir.jsonl"));
        assertThatThrownBy(() -> home.check(c.resolve("projects/p/dir.jsonl").toString()))
                .hasMessageContaining("not a regular file");
        Path txt = Files.writeString(c.resolve("projects/p/notes.txt"), "x");
        assertThatThrownBy(() -> home.check(txt.toString())).hasMessageContaining("a transcript is a .jsonl file");
        assertThatThrownBy(() -> home.check("projects/p/s.jsonl")).hasMessageContaining("not an absolute path");
        assertThatThrownBy(() -> home.check(c.resolve("projects/p/none.jsonl").toString()))
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> home.check(null)).hasMessageContaining("no transcript_path");
        // a FIFO is not a regular file
        Path fifo = c.resolve("projects/p/fifo.jsonl");
        if (new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0) {
            assertThatThrownBy(() -> home.check(fifo.toString())).hasMessageContaining("not a regular file");
        }
    }

    @Test
    void subagentIdsCannotWalkOutOfTheSessionFolder() throws Exception {
        Path c = claude();
        Path main = Files.writeString(c.resolve("projects/p/s.jsonl"), "{}\n");
        Files.createDirectories(c.resolve("projects/p/s/subagents"));
        Path sub = Files.writeString(c.resolve("projects/p/s/subagents/agent-a1.jsonl"), "{}\n");
        ClaudeHome home = new ClaudeHome(c);
        assertThat(home.subagent(main, "a1")).isEqualTo(sub.toRealPath());
        assertThatThrownBy(() -> home.subagent(main, "../../../s")).hasMessageContaining("agent id must be");
    }

    @Test
    void theDirectoryComesFromClaudeConfigDirElseHome() {
        assertThat(ClaudeHome.fromEnvironment(Map.of("CLAUDE_CONFIG_DIR", "/x/cfg", "HOME", "/h"))
                        .dir())
                .isEqualTo(Path.of("/x/cfg"));
        assertThat(ClaudeHome.fromEnvironment(Map.of("HOME", "/h")).dir()).isEqualTo(Path.of("/h/.claude"));
    }
}
