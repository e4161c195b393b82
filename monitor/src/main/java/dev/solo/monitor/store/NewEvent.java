package dev.solo.monitor.store;

import java.util.Objects;

/**
 * An event as ingest hands it to the store: the payload as compact JSON plus the fields the store
 * indexes. Optional fields are {@code null} when the payload does not carry them.
 *
 * @param stream the stream key: a Claude Code {@code session_id}, or a generic source's stream name
 * @param event the event name ({@code hook_event_name}, or the envelope's event)
 * @param source {@code hook} for {@code /api/hooks}, {@code envelope} for {@code /api/events}
 * @param cut how many characters were trimmed from oversized string fields (0: none)
 * @param json the payload, compact JSON, after trimming
 * @param occurredMillis when the event happened, in epoch milliseconds, for events that are stored
 *     after the fact (a history import); 0 means "now": the store's clock at commit
 */
public record NewEvent(
        String stream,
        String event,
        String tool,
        String toolUseId,
        String agentId,
        String agentType,
        String file,
        String cwd,
        String title,
        String notice,
        String source,
        long cut,
        String json,
        long occurredMillis) {
    public NewEvent {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(json, "json");
        if (cut < 0) throw new IllegalArgumentException("cut must be >= 0, got " + cut);
        if (occurredMillis < 0)
            throw new IllegalArgumentException("occurredMillis must be >= 0, got " + occurredMillis);
    }

    /** An event that happens now (the store stamps it with its clock at commit). */
    public NewEvent(
            String stream,
            String event,
            String tool,
            String toolUseId,
            String agentId,
            String agentType,
            String file,
            String cwd,
            String title,
            String notice,
            String source,
            long cut,
            String json) {
        this(stream, event, tool, toolUseId, agentId, agentType, file, cwd, title, notice, source, cut, json, 0);
    }
}
