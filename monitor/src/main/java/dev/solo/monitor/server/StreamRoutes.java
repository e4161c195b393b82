package dev.solo.monitor.server;

import dev.solo.monitor.derive.AgentTree;
import dev.solo.monitor.derive.FilesTouched;
import dev.solo.monitor.derive.StreamStatus;
import dev.solo.monitor.derive.Summary;
import dev.solo.monitor.derive.ToolCalls;
import dev.solo.monitor.live.EventJson;
import dev.solo.monitor.live.LiveFeed;
import dev.solo.monitor.store.EventQuery;
import dev.solo.monitor.store.EventStore;
import dev.solo.monitor.store.StoredEvent;
import dev.solo.monitor.store.StreamInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.URIUtil;

/**
 * The streams: {@code GET /api/streams} ("waiting for you" first, then the most recent) and {@code GET
 * /api/streams/{id}[/tools|agents|files|conversation|export]}.
 */
final class StreamRoutes {
    private static final List<String> WAITING = List.of("PermissionRequest", "Notification", "Elicitation");

    private final EventStore store;
    private final LiveFeed feed;
    private final Clock clock;

    private final ConversationRoute conversation;

    StreamRoutes(EventStore store, LiveFeed feed, Clock clock, ConversationRoute conversation) {
        this.store = store;
        this.feed = feed;
        this.clock = clock;
        this.conversation = conversation;
    }

    void list(Exchange x) {
        long now = clock.millis();
        List<Map<String, Object>> out = new ArrayList<>();
        for (StreamInfo s : sorted()) {
            Map<String, Object> m = StreamStatus.toMap(s, now);
            if (s.waitingReason() != null && !s.ended()) m.put("waiting_detail", waitingDetail(s));
            out.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("streams", out);
        body.put("last_event_id", feed.lastId());
        body.put("now", Instant.ofEpochMilli(now).toString());
        x.json(200, body);
    }

    private List<StreamInfo> sorted() {
        List<StreamInfo> all = new ArrayList<>(store.streams());
        all.sort((a, b) -> {
            boolean wa = a.waitingReason() != null && !a.ended();
            boolean wb = b.waitingReason() != null && !b.ended();
            if (wa != wb) return wa ? -1 : 1;
            return Long.compare(b.lastMillis(), a.lastMillis());
        });
        return all;
    }

    /**
     * What a waiting stream waits for: the most specific of the waiting events since it started to
     * wait (a PermissionRequest's tool and its command or path beats a generic Notification).
     */
    private String waitingDetail(StreamInfo s) {
        StoredEvent best = null;
        for (StoredEvent e : store.latestOf(s.id(), WAITING, 8)) {
            if (e.receivedMillis() < s.waitingSince()) continue;
            if (best == null || rank(e.event()) > rank(best.event())) best = e;
        }
        if (best == null) return null;
        String what = Summary.of(best);
        if (best.tool() == null) return what;
        return what == null ? best.tool() : best.tool() + ": " + what;
    }

    private static int rank(String event) {
        return switch (event) {
            case "PermissionRequest" -> 3;
            case "Elicitation" -> 2;
            default -> 1;
        };
    }

    /**
     * {@code rest} is what follows {@code /api/streams/}, still percent-encoded: an id (in which {@code %2F}
     * is a {@code /} of the id, not a separator), then optionally a view.
     */
    void one(Exchange x, String rest) {
        int slash = rest.indexOf('/');
        String id = URIUtil.decodePath(slash < 0 ? rest : rest.substring(0, slash));
        String view = slash < 0 ? "" : rest.substring(slash + 1);
        var info = store.stream(id);
        if (info.isEmpty()) {
            x.error(404, "no stream '" + id + "'. List them with GET /api/streams.");
            return;
        }
        int limit = x.intParam("limit", 5000, 1, 100_000);
        switch (view) {
            case "" -> x.json(200, StreamStatus.toMap(info.get(), clock.millis()));
            case "tools" ->
                x.json(200, Map.of("stream", id, "calls", ToolCalls.pair(store.latestOf(id, ToolCalls.EVENTS, limit))));
            case "agents" -> x.json(200, AgentTree.of(id, store.agentEvents(id, limit), agentCalls(id)));
            case "files" -> x.json(200, Map.of("stream", id, "files", FilesTouched.of(store.fileEvents(id, limit))));
            case "export" -> export(x, id);
            case "conversation" -> conversation.page(x, id);
            default ->
                x.error(404, "no view '" + view + "' of a stream; use tools, agents, files, conversation or export");
        }
    }

    /** The answers of the Agent/Task calls of a stream: they name the subagent each call started. */
    private List<StoredEvent> agentCalls(String id) {
        List<StoredEvent> page = store.page(new EventQuery(
                List.of(id), List.of("PostToolUse"), List.of("Agent", "Task"), null, 0, -1, EventQuery.MAX_LIMIT));
        List<StoredEvent> oldestFirst = new ArrayList<>(page);
        java.util.Collections.reverse(oldestFirst);
        return oldestFirst;
    }

    private void export(Exchange x, String id) {
        x.response.setStatus(200);
        x.response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/x-ndjson; charset=utf-8");
        String file = id.replaceAll("[^A-Za-z0-9._-]", "_");
        x.response.getHeaders().put(HttpHeader.CONTENT_DISPOSITION, "attachment; filename=\"" + file + ".jsonl\"");
        try (var out = Content.Sink.asOutputStream(x.response)) {
            long cursor = 0;
            while (true) {
                List<StoredEvent> page = store.after(cursor, id, 1000);
                if (page.isEmpty()) break;
                StringBuilder b = new StringBuilder(page.size() * 512);
                for (StoredEvent e : page) b.append(EventJson.of(e)).append('\n');
                out.write(b.toString().getBytes(StandardCharsets.UTF_8));
                cursor = page.get(page.size() - 1).id();
            }
        } catch (IOException e) {
            x.callback.failed(e);
            return;
        }
        x.callback.succeeded();
    }
}
