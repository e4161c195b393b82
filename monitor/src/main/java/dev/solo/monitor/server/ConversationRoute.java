package dev.solo.monitor.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.solo.monitor.board.Board;
import dev.solo.monitor.cost.Prices;
import dev.solo.monitor.cost.Usage;
import dev.solo.monitor.transcript.ClaudeHome;
import dev.solo.monitor.transcript.ConversationItems;
import dev.solo.monitor.transcript.TranscriptException;
import dev.solo.monitor.transcript.TranscriptPager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/streams/{id}/conversation[?before=|after=][&agent=][&bytes=]}: a page of the
 * session as a person reads it ({@link ConversationItems}), from the transcript its hooks named, read
 * by byte offset: the newest page by default, {@code before} an offset to scroll up, {@code after}
 * to follow the file as it grows. {@code agent} reads that subagent's own transcript. Each assistant
 * message's first item carries its {@code tokens} and {@code usd} ("price unknown": {@code usd} null).
 */
final class ConversationRoute {
    static final int DEFAULT_BYTES = 256 * 1024;

    private final Board board;
    private final ClaudeHome home;
    private final Prices prices;

    ConversationRoute(Board board, ClaudeHome home, Prices prices) {
        this.board = board;
        this.home = home;
        this.prices = prices;
    }

    void page(Exchange x, String stream) {
        String transcript = board.transcriptOf(stream);
        if (transcript == null) {
            x.error(
                    404,
                    "no transcript for stream '" + stream + "' yet: its hooks have not named one"
                            + " (transcript_path); it appears with the next event");
            return;
        }
        int bytes = x.intParam("bytes", DEFAULT_BYTES, 16 * 1024, 4 * 1024 * 1024);
        long before = x.longParam("before", -1);
        long after = x.longParam("after", -1);
        String agent = x.param("agent");
        Path file;
        try {
            Path main = home.check(transcript);
            file = agent == null || agent.isBlank() ? main : home.subagent(main, agent);
        } catch (TranscriptException e) {
            x.error(e.getMessage().startsWith("refused") ? 403 : 404, e.getMessage());
            return;
        }
        TranscriptPager.Page page;
        try {
            page = after >= 0
                    ? TranscriptPager.forward(file, after, bytes)
                    : TranscriptPager.backward(file, before < 0 ? Long.MAX_VALUE : before, bytes);
        } catch (IOException e) {
            x.error(500, "cannot read " + file + ": " + e.getMessage());
            return;
        }
        List<Map<String, Object>> items = ConversationItems.of(page);
        for (Map<String, Object> it : items) {
            if (!(it.remove("usage") instanceof JsonNode usage)) continue;
            Usage u = Usage.of(usage);
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("input", u.input());
            t.put("output", u.output());
            t.put("cache_read", u.cacheRead());
            t.put("cache_write", u.cacheWrite5m() + u.cacheWrite1h());
            it.put("tokens", t);
            var price = prices.of((String) it.get("model"));
            it.put("usd", price.map(p -> p.cost(u)).orElse(null));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("stream", stream);
        body.put("agent", agent);
        body.put("transcript", file.toString());
        body.put("size", page.size());
        body.put("start", page.start());
        body.put("end", page.end());
        body.put("at_start", page.atStart());
        body.put("at_end", page.atEnd());
        body.put("items", items);
        x.json(200, body);
    }
}
