package dev.solo.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The harness end to end: the real Claude Code CLI plays the stand-in's scripted session offline, in a
 * home of its own under {@code target/}, and leaves a transcript with the session's tool calls.
 */
@Requires({Prerequisite.PYTHON3, Prerequisite.CLAUDE_CODE})
@Timeout(300)
class ClaudeCodeIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aScriptedSessionRunsOfflineAndWritesItsTranscriptWithTheToolCalls() throws Exception {
        Path dir = sandbox();
        Path project = project(dir);
        try (StandInApi api = StandInApi.start(dir.resolve("api"), Duration.ofMillis(20))) {
            ClaudeCode claude = ClaudeCode.in(dir.resolve("claude"), api);
            ClaudeCode.Result r = claude.run(project, "SCRIPT dir=" + project + " ; go");

            assertThat(r.exit()).as("exit; stderr: %s", r.stderr()).isZero();
            assertThat(r.stdout()).contains("Finished: ran Bash");
            // the tools really ran in the project
            assertThat(Files.readString(project.resolve("README.md"))).contains("Hello monitored world");
            assertThat(project.resolve("notes.txt")).hasContent("line one\nline two\nline three");
            // the transcript is the CLI's own, in the sandbox, with every scripted tool call
            assertThat(r.transcript()).isPresent();
            Path transcript = r.transcript().get();
            assertThat(transcript).startsWith(claude.configDir().resolve("projects"));
            assertThat(toolCalls(transcript)).contains("Bash", "Read", "Write", "Edit", "Glob", "Grep");
            assertThat(Files.readAllLines(api.requestLog())).isNotEmpty();
            // the version, for what it knows (e.g. its hook events)
            assertThat(claude.version()).containsPattern("^\\d+\\.\\d+\\.\\d+");
        }
    }

    @Test
    @Requires(Prerequisite.TMUX)
    void anInteractiveSessionAsksForPermissionAndGoesOnWhenAllowed() throws Exception {
        Path dir = sandbox();
        Path project = project(dir);
        try (StandInApi api = StandInApi.start(dir.resolve("api"), Duration.ofMillis(20));
                // the mode that asks: from 2.1.3xx the default is "auto", which asks nothing and greets with a notice
                ClaudeTerminal terminal = ClaudeCode.in(dir.resolve("claude"), api)
                        .args("--permission-mode", "default")
                        .terminal(project)) {
            terminal.awaitScreen("? for shortcuts", Duration.ofSeconds(60));
            terminal.submit("SCRIPT dir=" + project + " ; go", Duration.ofSeconds(60));
            // the scripted Bash call needs a permission, as it would for a person at the terminal
            String prompt =
                    terminal.awaitScreen(ClaudeTerminal::asksPermission, "a permission prompt", Duration.ofSeconds(60));
            assertThat(prompt).contains("Bash command");
            // allow it, and every later one, until the final answer is on the screen
            String last = terminal.allowEachUntil("Finished: ran Bash", Duration.ofSeconds(150));
            assertThat(last).contains("Finished: ran Bash");
            assertThat(terminal.transcript()).isPresent();
            assertThat(toolCalls(terminal.transcript().get())).contains("Bash", "Write", "Edit");
        }
    }

    private static Path sandbox() throws IOException {
        return Files.createDirectories(
                TestEnvironment.targetDir().resolve("claude-it").resolve(Long.toString(System.nanoTime())));
    }

    private static Path project(Path dir) throws IOException {
        Path project = Files.createDirectories(dir.resolve("project"));
        Files.writeString(project.resolve("README.md"), "# demo\nHello world\n");
        return project;
    }

    /** The names of the tool_use blocks of the assistant messages, in order. */
    static List<String> toolCalls(Path transcript) throws IOException {
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(transcript)) {
            if (line.isBlank()) continue;
            JsonNode content = JSON.readTree(line).path("message").path("content");
            if (!content.isArray()) continue;
            for (JsonNode block : content) {
                if ("tool_use".equals(block.path("type").asText()))
                    names.add(block.path("name").asText());
            }
        }
        return names;
    }
}
