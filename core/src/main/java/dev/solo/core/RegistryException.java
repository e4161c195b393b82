package dev.solo.core;

/** The per-user registry directory or token file cannot be created, read or trusted. */
public final class RegistryException extends SoloException {
    private static final long serialVersionUID = 1L;

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
    }

    public RegistryException(String message) {
        super(message);
    }
}
