package dev.solo.core;

/**
 * Base of the unchecked exceptions solo-core throws. Each subtype is a failure a caller can act on;
 * every message says what happened, with the value, address or path, and what to do next.
 */
public class SoloException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SoloException(String message) {
        super(message);
    }

    public SoloException(String message, Throwable cause) {
        super(message, cause);
    }
}
