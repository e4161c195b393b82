package dev.solo.monitor.ingest;

/** A request body the monitor cannot take: not JSON, not an object, or missing a required part. */
public final class BadPayloadException extends Exception {
    private static final long serialVersionUID = 1L;

    public BadPayloadException(String message) {
        super(message);
    }
}
