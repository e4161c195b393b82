package dev.solo.monitor.derive;

import dev.solo.monitor.store.StreamInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A stream's status for the dropdown: {@code ended} after {@code SessionEnd}; {@code waiting} while a
 * permission prompt, notification or elicitation is open; {@code idle} after the agent stopped (or
 * when nothing happened for {@link #IDLE_AFTER}); else {@code working}.
 */
public final class StreamStatus {
    /** A stream with no event for this long counts as idle. */
    public static final Duration IDLE_AFTER = Duration.ofMinutes(5);

    /** After these the agent waits for a prompt; PermissionRejected: a prompt rejected in the terminal. */
    private static final Set<String> RESTING =
            Set.of("Stop", "StopFailure", "SessionStart", "Setup", "PermissionRejected");

    private StreamStatus() {}

    public static String of(StreamInfo s, long nowMillis) {
        if (s.ended()) return "ended";
        if (s.waitingReason() != null) return "waiting";
        if (s.lastEvent() != null && RESTING.contains(s.lastEvent())) return "idle";
        if (nowMillis - s.lastMillis() > IDLE_AFTER.toMillis()) return "idle";
        return "working";
    }

    /** The API form of a stream. */
    public static Map<String, Object> toMap(StreamInfo s, long nowMillis) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("label", s.label());
        m.put("title", s.title());
        m.put("cwd", s.cwd());
        m.put("first_seen", Instant.ofEpochMilli(s.firstMillis()).toString());
        m.put("last_seen", Instant.ofEpochMilli(s.lastMillis()).toString());
        m.put("events", s.events());
        m.put("last_event", s.lastEvent());
        m.put("status", of(s, nowMillis));
        m.put("waiting_for", s.waitingReason());
        m.put(
                "waiting_since",
                s.waitingReason() == null
                        ? null
                        : Instant.ofEpochMilli(s.waitingSince()).toString());
        return m;
    }
}
