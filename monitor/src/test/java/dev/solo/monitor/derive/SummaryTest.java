package dev.solo.monitor.derive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.solo.monitor.store.StoredEvent;
import dev.solo.monitor.testing.HookFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SummaryTest {
    static final Path FIXTURES = HookFixtures.DIR;
    static final ObjectMapper JSON = new ObjectMapper();

    static StoredEvent event(String json) throws IOException {
        var n = JSON.readTree(json);
        String name = n.path("hook_event_name").asText();
        String tool = n.hasNonNull("tool_name") ? n.get("tool_name").asText() : null;
        return new StoredEvent(1, 0, "s", name, tool, null, null, null, "hook", 0, JSON.writeValueAsString(n));
    }

    static String of(String fixture) throws IOException {
        return Summary.of(event(Files.readString(FIXTURES.resolve(fixture + ".json"))));
    }

    @Test
    void saysThePromptTheCommandThePathTheError() throws IOException {
        assertThat(of("UserPromptSubmit")).startsWith("Do these steps in order with tools");
        assertThat(of("PreToolUse")).isEqualTo("true");
        assertThat(of("PermissionRequest")).isEqualTo("touch probe-allow.txt && echo PROBE_ALLOWED");
        assertThat(of("PostToolUseFailure")).isEqualTo("Exit code 1: false");
        assertThat(of("variants/PostToolUse.Edit")).endsWith(".leopold/PLAN.md → changed PLAN.md: +1 −1 lines");
        assertThat(of("Notification")).isEqualTo("Claude needs your permission");
        assertThat(of("SubagentStop")).isEqualTo("general-purpose: PONG");
        assertThat(of("SessionStart")).isEqualTo("startup");
    }

    @Test
    void saysWhatAPersonWantsWhereRawJsonUsedToShow() throws IOException {
        // MessageDisplay keeps the assistant's text in "delta"; SessionEnd says more than "other"
        assertThat(of("MessageDisplay")).isEqualTo("I'll execute these steps sequentially, one tool call per step.");
        assertThat(of("SessionEnd")).isEqualTo("session ended (reason: other)");
        assertThat(of("PostToolBatch")).isEqualTo("Bash true → (Bash completed with no output)");
        // PostToolUse shows the result, not the input again
        assertThat(of("variants/PostToolUse.Read")).contains("→ read ").contains(" lines of ");
        assertThat(of("PermissionDenied")).isEqualTo("rm -rf /tmp/build → Blocked by classifier");
    }

    @Test
    void toolOutputsInWords() throws IOException {
        var glob = JSON.readTree(
                "{\"filenames\":[\"/p/README.md\"],\"durationMs\":23,\"numFiles\":1,\"truncated\":false}");
        assertThat(Summary.output("Glob", glob)).isEqualTo("1 file: README.md");
        var grep = JSON.readTree(
                "{\"mode\":\"content\",\"numFiles\":0,\"filenames\":[],\"content\":\"a\\nb\\nc\",\"numLines\":3}");
        assertThat(Summary.output("Grep", grep)).isEqualTo("3 matching lines");
        var agent = JSON.readTree("{\"isAsync\":true,\"status\":\"async_launched\",\"agentId\":\"a7503\"}");
        assertThat(Summary.output("Agent", agent)).isEqualTo("launched in the background as agent a7503");
        var write = JSON.readTree(
                "{\"type\":\"create\",\"filePath\":\"/p/notes.txt\",\"content\":\"one\\ntwo\\nthree\\n\"}");
        assertThat(Summary.output("Write", write)).isEqualTo("created notes.txt (3 lines)");
    }

    @Test
    void unknownEventsShowTheirFirstPlainFields() throws IOException {
        String s = Summary.of(event("{\"session_id\":\"x\",\"hook_event_name\":\"Brand-new\",\"cwd\":\"/a\","
                + "\"colour\":\"blue\",\"n\":3,\"obj\":{\"k\":1},\"more\":\"yes\",\"last\":\"no\"}"));
        assertThat(s).isEqualTo("colour: blue, n: 3, more: yes");
    }

    @Test
    void everyFixtureHasAShortOneLineSummary() throws IOException {
        try (Stream<Path> files = Files.walk(FIXTURES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                String s = Summary.of(event(Files.readString(f)));
                if (s == null) continue;
                assertThat(s).as(f.toString()).doesNotContain("\n").hasSizeLessThanOrEqualTo(Summary.MAX);
            }
        }
    }

    @Test
    void longTextIsFoldedAndCut() {
        String s = Summary.clip("a\n\n  b " + "x".repeat(500));
        assertThat(s).startsWith("a b xxx").hasSize(Summary.MAX).endsWith("…");
        assertThat(Summary.clip("  short\ttext ")).isEqualTo("short text");
    }
}
