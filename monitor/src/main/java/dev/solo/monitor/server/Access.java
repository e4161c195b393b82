package dev.solo.monitor.server;

import dev.solo.monitor.security.Guard.Credential;

/**
 * What a route needs from the caller, checked by the {@link ApiHandler} before the route runs. The
 * {@link dev.solo.monitor.security.Guard} tells which credential a request carries; this says which
 * credentials open which level.
 */
enum Access {
    /** Anyone who passes the Host and Origin checks: {@code /health}, the page and its files, the login. */
    PUBLIC,
    /** Appending events, what Claude Code's hooks do: the ingest key or the token. */
    INGEST,
    /** What the dashboard does, reading events and streams: a dashboard session or the token. */
    DASHBOARD,
    /** Acting on the monitor itself (shutdown, login codes): the token only. */
    ADMIN;

    /** Whether {@code c} opens this level. */
    boolean grants(Credential c) {
        return switch (this) {
            case PUBLIC -> true;
            case INGEST -> c == Credential.INGEST_KEY || c == Credential.TOKEN;
            case DASHBOARD -> c == Credential.SESSION || c == Credential.TOKEN;
            case ADMIN -> c == Credential.TOKEN;
        };
    }
}
