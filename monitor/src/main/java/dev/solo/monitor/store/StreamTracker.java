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

    /**
     * How specific a waiting event is: a permission prompt names the tool and its input, an elicitation
     * its question, a notification is often generic ("Claude needs your permission").
     */
    static int specificity(String event) {
        if (event == null) return 0;
        return switch (event) {
            case "PermissionRequest" -> 3;
            case "Elicitation" -> 2;
            case "Notification" -> 1;
            default -> 0;
        };
    }

    /**
     * The summary after {@code e} was stored with time {@code at}; {@code before} is null for a new
     * stream. While a stream already waits, a later waiting event keeps the first time and replaces the
     * reason only when it is more specific: a generic Notification 6 s after a PermissionRequest(Write)
     * must not turn "Permission needed for Write" into "Claude needs your permission".
     */
    static StreamInfo apply(StreamInfo before, NewEvent e, long at) {
        String title = pick(e.title(), before == null ? null : before.title());
        String cwd = pick(e.cwd(), before == null ? null : before.cwd());
        long first = before == null ? at : Math.min(before.firstMillis(), at);
        long last = before == null ? at : Math.max(before.lastMillis(), at);
        long count = before == null ? 1 : before.events() + 1;
        String reason = before == null ? null : before.waitingReason();
        long since = before == null ? 0 : before.waitingSince();
        String waitingEvent = before == null ? null : before.lastWaitingEvent();
        String lastEvent = before == null || at >= before.lastMillis() ? e.event() : before.lastEvent();
        boolean older = before != null && at < before.lastMillis(); // imported after later events: no say
        if (older) {
            // the waiting state belongs to the newer events
        } else if (WAITING.contains(e.event())) {
            if (reason == null) since = at;
            if (reason == null || specificity(e.event()) > specificity(waitingEvent)) {
                reason = e.notice() != null ? e.notice() : e.event();
                waitingEvent = e.event();
            }
        } else if (!PASSIVE.contains(e.event())) {
            reason = null;
            since = 0;
            waitingEvent = null;
        }
        boolean ended = older ? before.ended() : e.event().equals("SessionEnd");
        return new StreamInfo(
                e.stream(), title, cwd, first, last, count, lastEvent, reason, since, ended, waitingEvent);
    }

    private static String pick(String fresh, String old) {
        return fresh != null && !fresh.isBlank() ? fresh : old;
    }
}
