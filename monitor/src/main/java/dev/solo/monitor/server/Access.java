package dev.solo.monitor.server;

/**
 * What a route needs from the caller, checked by the {@link ApiHandler} before the route runs. The
 * {@link dev.solo.monitor.security.Guard} decides which credential grants which level.
 */
enum Access {
    /** Anyone who passes the Host and Origin checks: {@code /health}, the page and its files. */
    PUBLIC,
    /** Appending events: what Claude Code's hooks do. */
    INGEST,
    /** What the dashboard does: read events and streams, answer for the user (a dashboard session or the token). */
    DASHBOARD,
    /** Acting on the monitor itself: shutdown. */
    ADMIN
}
