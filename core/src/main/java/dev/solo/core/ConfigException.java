package dev.solo.core;

/** A setting (environment variable, system property, flag) has a value that cannot be used. */
public final class ConfigException extends SoloException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
