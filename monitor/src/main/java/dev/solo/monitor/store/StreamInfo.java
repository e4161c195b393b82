package dev.solo.monitor.store;

/**
 * What the store knows about one stream, kept up to date by the writer.
 *
 * @param waitingReason why the stream waits for its user (a permission prompt, a notification), or
 *     {@code null} when it does not
 * @param lastEvent the name of the latest event
 * @param lastWaitingEvent the event that gave {@code waitingReason} (PermissionRequest, Elicitation or
 *     Notification), or {@code null}
 */
public record StreamInfo(
        String id,
        String title,
        String cwd,
        long firstMillis,
        long lastMillis,
        long events,
        String lastEvent,
        String waitingReason,
        long waitingSince,
        boolean ended,
        String lastWaitingEvent) {

    /** "title", else the base name of cwd, else "stream", plus the first 8 characters of the id. */
    public String label() {
        String base;
        if (title != null && !title.isBlank()) {
            base = title;
        } else if (cwd != null && !cwd.isBlank()) {
            String c = cwd.replaceAll("[/\\\\]+$", "");
            int slash = Math.max(c.lastIndexOf('/'), c.lastIndexOf('\\'));
            base = slash >= 0 ? c.substring(slash + 1) : c;
            if (base.isEmpty()) base = c.isEmpty() ? "/" : c;
        } else {
            base = "stream";
        }
        String shortId = id.length() > 8 ? id.substring(0, 8) : id;
        return base + " (" + shortId + ")";
    }
}
