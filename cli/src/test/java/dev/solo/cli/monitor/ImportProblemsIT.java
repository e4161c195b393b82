package dev.solo.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;

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
 * {@code solo monitor import} with transcripts it cannot read in full: each problem is a line of its own
 * naming the file, the line and what is wrong, under a count; the rest is imported. It printed the
 * monitor's JSON array of problems as it came, and said nothing of a line that was not JSON. A real
 * monitor in a child JVM, real transcript files.
 */
class ImportProblemsIT {
    private static final String SESSION = "5f1c2d3e-aaaa-bbbb-cccc-000000000001";
    private static final String OUTSIDE = "5f1c2d3e-aaaa-bbbb-cccc-000000000002";

    @TempDir
    Path home;

    @AfterEach
    void tearDown() {
        SoloProcess.killResidents(home);
    }

    @Test
    @Timeout(120)
    void eachProblemIsALineWithItsFileAndLineUnderACount() throws Exception {
        Path claude = home.resolve("claude");
        Path project = Files.createDirectories(claude.resolve("projects").resolve("-work-demo"));
        Path transcript = project.resolve(SESSION + ".jsonl");
        Files.writeString(
                transcript,
                line("u1", "2026-11-30T10:00:00Z", "hello")
                        + "{\"type\":\"user\", this is not json\n"
                        + line("u2", "2026-11-30T10:00:05Z", "again"));
        // a transcript that links out of the config directory is refused as a whole
        Path elsewhere = Files.writeString(home.resolve("elsewhere.jsonl"), line("u3", "2026-11-30T10:01:00Z", "x"));
        Path link = Files.createSymbolicLink(project.resolve(OUTSIDE + ".jsonl"), elsewhere);

        Map<String, String> env = new HashMap<>(SoloProcess.noClaude(home));
        env.put("CLAUDE_CONFIG_DIR", claude.toString());
        String port = Integer.toString(SoloProcess.freePort());
        var start = SoloProcess.run(home, env, List.of(), "monitor", "--port", port, "--no-browser");
        assertThat(start.exit()).as(start.err()).isZero();

        var r = SoloProcess.run(home, env, List.of(), "monitor", "import", "--port", port);

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Imported ").contains(" of 1 session; ");
        assertThat(r.err())
                .startsWith("2 problems while importing (what they concern was left out; the rest was imported):\n")
                .contains("\n  " + transcript + ", line 2: not JSON (")
                .contains("\n  " + link + ": not imported: ")
                .doesNotContain("[{")
                .doesNotContain("\"problem\"");
    }

    private static String line(String uuid, String at, String prompt) {
        return "{\"type\":\"user\",\"uuid\":\"" + uuid + "\",\"timestamp\":\"" + at + "\",\"sessionId\":\"" + SESSION
                + "\",\"cwd\":\"/work/demo\",\"message\":{\"role\":\"user\",\"content\":\"" + prompt + "\"}}\n";
    }
}
