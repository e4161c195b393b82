package dev.solo.monitor.transcript;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paging a JSON Lines file by byte offset, both ways, while it grows. */
class TranscriptPagerTest {
    @TempDir
    Path tmp;

    Path file(int lines) throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines; i++)
            b.append("{\"n\":")
                    .append(i)
                    .append(",\"text\":\"é ")
                    .append("x".repeat(i % 50))
                    .append("\"}\n");
        return Files.writeString(tmp.resolve("t.jsonl"), b.toString(), StandardCharsets.UTF_8);
    }

    @Test
    void backwardPagesCoverTheFileExactlyOnceInOrder() throws Exception {
        Path f = file(1000);
        List<String> all = new ArrayList<>();
        long before = Long.MAX_VALUE;
        int pages = 0;
        while (true) {
            TranscriptPager.Page p = TranscriptPager.backward(f, before, 4096);
            List<String> texts =
                    p.lines().stream().map(TranscriptPager.Line::text).toList();
            all.addAll(0, texts);
            pages++;
            if (p.atStart()) break;
            before = p.start();
        }
        assertThat(pages).isGreaterThan(10);
        assertThat(all).isEqualTo(Files.readAllLines(f, StandardCharsets.UTF_8));
    }

    @Test
    void forwardFollowsTheFileAndLeavesAHalfWrittenLineForLater() throws Exception {
        Path f = file(3);
        TranscriptPager.Page p = TranscriptPager.forward(f, 0, 1 << 20);
        assertThat(p.lines()).hasSize(3);
        assertThat(p.atEnd()).isTrue();
        Files.writeString(f, "{\"n\":3,\"half\":", StandardOpenOption.APPEND);
        TranscriptPager.Page q = TranscriptPager.forward(f, p.end(), 1 << 20);
        assertThat(q.lines()).isEmpty();
        assertThat(q.end()).isEqualTo(p.end());
        assertThat(TranscriptPager.backward(f, Long.MAX_VALUE, 1 << 20).lines()).hasSize(3);
        Files.writeString(f, "true}\n", StandardOpenOption.APPEND);
        TranscriptPager.Page r = TranscriptPager.forward(f, q.end(), 1 << 20);
        assertThat(r.lines()).extracting(TranscriptPager.Line::text).containsExactly("{\"n\":3,\"half\":true}");
    }

    @Test
    void aLineLongerThanThePageComesWhole() throws Exception {
        String big = "{\"big\":\"" + "y".repeat(100_000) + "\"}";
        Path f = Files.writeString(tmp.resolve("b.jsonl"), "{\"a\":1}\n" + big + "\n{\"z\":2}\n");
        TranscriptPager.Page p = TranscriptPager.backward(f, Files.size(f) - 8, 1024);
        assertThat(p.lines()).extracting(TranscriptPager.Line::text).containsExactly(big);
        TranscriptPager.Page q = TranscriptPager.forward(f, 8, 1024);
        assertThat(q.lines()).extracting(TranscriptPager.Line::text).containsExactly(big);
    }
}
