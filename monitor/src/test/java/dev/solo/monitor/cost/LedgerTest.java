package dev.solo.monitor.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.monitor.transcript.ClaudeHome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class LedgerTest {
    @TempDir
    Path home;

    /**
     * Between a hook naming the transcript and its first read, the stream's cost is unknown, not zero:
     * a board loaded in that moment said "0 tokens · $0" for a transcript the monitor refuses to read.
     */
    @Test
    void aTranscriptNotReadYetHasNoCostAndARefusedOneSaysWhy() throws Exception {
        Files.createDirectories(home.resolve(".claude/projects"));
        try (Ledger ledger = new Ledger(Prices.load(), new ClaudeHome(home.resolve(".claude")), ZoneOffset.UTC)) {
            ledger.touch("s1", "/etc/passwd");
            assertThat(ledger.of("s1")).isNull(); // the read is scheduled, not done

            ledger.refresh("s1");
            assertThat(ledger.of("s1").get("error"))
                    .asString()
                    .startsWith("refused to read /etc/passwd: it is not inside the Claude config directory");
            assertThat(ledger.of("s1").get("missing")).isEqualTo(false);
        }
    }

    @Test
    void aReadTranscriptCountsEachMessageOnce() throws Exception {
        Path transcript = home.resolve(".claude/projects/p/s2.jsonl");
        Files.createDirectories(transcript.getParent());
        String line = "{\"type\":\"assistant\",\"timestamp\":\"2026-12-02T06:00:00Z\",\"message\":{\"id\":\"msg_1\","
                + "\"model\":\"claude-sonnet-4-5\",\"usage\":{\"input_tokens\":10,\"output_tokens\":5}}}\n";
        Files.writeString(transcript, line + line, StandardCharsets.UTF_8); // one message, two content blocks
        try (Ledger ledger = new Ledger(Prices.load(), new ClaudeHome(home.resolve(".claude")), ZoneOffset.UTC)) {
            ledger.touch("s2", transcript.toString());
            assertThat(ledger.of("s2")).isNull();
            ledger.refresh("s2");
            assertThat(ledger.of("s2").get("error")).isNull();
            assertThat(ledger.total("s2").toMap()).containsEntry("tokens", 15L).containsEntry("calls", 1L);
        }
    }
}
