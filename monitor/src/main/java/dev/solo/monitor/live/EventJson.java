package dev.solo.monitor.live;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.solo.monitor.derive.Summary;
import dev.solo.monitor.store.StoredEvent;
import java.time.Instant;

/**
 * The wire form of a stored event, shared by the read API, the export and the live feed:
 *
 * <pre>{"id":42,"stream":"…","event":"PreToolUse","tool":"Bash","time":"2025-…Z","source":"hook","cut":0,"data":{…}}</pre>
 *
 * {@code data} is the stored payload, spliced in as it is (compact JSON, one line).
 */
public final class EventJson {
    private EventJson() {}

    public static String of(StoredEvent e) {
        StringBuilder b = new StringBuilder(e.json().length() + 200);
        b.append("{\"id\":").append(e.id());
        field(b, "stream", e.stream());
        field(b, "event", e.event());
        field(b, "tool", e.tool());
        field(b, "tool_use_id", e.toolUseId());
        field(b, "agent_id", e.agentId());
        field(b, "file", e.file());
        field(b, "time", Instant.ofEpochMilli(e.receivedMillis()).toString());
        field(b, "source", e.source());
        b.append(",\"cut\":").append(e.cut());
        b.append(",\"data\":").append(e.json()).append('}');
        return b.toString();
    }

    /**
     * The short form for the dashboard's rows: the indexed fields and a one-line {@code summary}
     * ({@link Summary}) instead of {@code data}, so a page of rows stays small whatever the payloads.
     */
    public static String row(StoredEvent e) {
        StringBuilder b = new StringBuilder(400);
        b.append("{\"id\":").append(e.id());
        field(b, "stream", e.stream());
        field(b, "event", e.event());
        field(b, "tool", e.tool());
        field(b, "agent_id", e.agentId());
        field(b, "time", Instant.ofEpochMilli(e.receivedMillis()).toString());
        b.append(",\"cut\":").append(e.cut());
        field(b, "summary", Summary.of(e));
        return b.append('}').toString();
    }

    /** Appends {@code ,"name":"value"}, or {@code ,"name":null}. */
    public static void field(StringBuilder b, String name, String value) {
        b.append(",\"").append(name).append("\":");
        string(b, value);
    }

    /** Appends {@code value} as a JSON string, or {@code null}. */
    public static void string(StringBuilder b, String value) {
        if (value == null) {
            b.append("null");
            return;
        }
        b.append('"');
        JsonStringEncoder.getInstance().quoteAsString(value, b);
        b.append('"');
    }
}
