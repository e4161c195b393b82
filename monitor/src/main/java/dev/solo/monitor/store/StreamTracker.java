package dev.solo.monitor.store;

import java.util.Set;

/**
 * The writer's rules for a stream's summary: who is waiting for the user, and when a stream ended.
 *
 * <p>{@code PermissionRequest}, {@code Notification} and {@code Elicitation} mark the stream "waiting
 * for you". Any later event of that stream resolves it, except passive ones that do not mean the user
 * answered (a message shown, a file or setting changed elsewhere). {@code SessionEnd} ends a stream;
 * a later event (a resumed session) opens it again.
 */
final class StreamTracker {
    static final Set<String> WAITING = Set.of("PermissionRequest", "Notification", "Elicitation");
    static final Set<String> PASSIVE = Set.of(
            "MessageDisplay",
            "FileChanged",
            "ConfigChange",
            "CwdChanged",
            "InstructionsLoaded",
            "DirectoryAdded",
            "TeammateIdle");

    private StreamTracker() {}

    /** The summary after {@code e} was stored at {@code now}; {@code before} is null for a new stream. */
    static StreamInfo apply(StreamInfo before, NewEvent e, long now) {
        String title = pick(e.title(), before == null ? null : before.title());
        String cwd = pick(e.cwd(), before == null ? null : before.cwd());
        long first = before == null ? now : before.firstMillis();
        long count = before == null ? 1 : before.events() + 1;
        String reason = before == null ? null : before.waitingReason();
        long since = before == null ? 0 : before.waitingSince();
        if (WAITING.contains(e.event())) {
            reason = e.notice() != null ? e.notice() : e.event();
            since = now;
        } else if (!PASSIVE.contains(e.event())) {
            reason = null;
            since = 0;
        }
        boolean ended = e.event().equals("SessionEnd");
        return new StreamInfo(e.stream(), title, cwd, first, now, count, e.event(), reason, since, ended);
    }

    private static String pick(String fresh, String old) {
        return fresh != null && !fresh.isBlank() ? fresh : old;
    }
}
