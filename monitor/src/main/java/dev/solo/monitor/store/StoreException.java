package dev.solo.monitor.store;

/** The event database cannot be opened, written or read; the message names the file. */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
