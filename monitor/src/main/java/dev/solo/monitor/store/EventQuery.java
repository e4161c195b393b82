package dev.solo.monitor.store;

import java.util.List;

/**
 * A page request over stored events. Empty lists and {@code null} strings mean "no filter".
 *
 * @param streams only these streams
 * @param events only these event names
 * @param tools only these tool names
 * @param text a substring of the payload (case-insensitive for ASCII)
 * @param before only ids below this (newest first), or 0
 * @param after only ids above this (oldest first), or -1 for none; wins over {@code before}
 * @param limit 1..1000
 */
public record EventQuery(
        List<String> streams,
        List<String> events,
        List<String> tools,
        String text,
        long before,
        long after,
        int limit) {
    public static final int MAX_LIMIT = 1000;

    public EventQuery {
        streams = List.copyOf(streams);
        events = List.copyOf(events);
        tools = List.copyOf(tools);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", got " + limit);
        }
        if (before < 0) throw new IllegalArgumentException("before must be >= 0, got " + before);
    }

    /** Whether the page runs oldest first (an {@code after} cursor was given). */
    public boolean ascending() {
        return after >= 0;
    }
}
