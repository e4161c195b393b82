package dev.solo.cli;

/**
 * The command line asks for something that cannot be done as asked (a port out of range, two
 * options that exclude each other). {@link Main} prints {@code Error: <message>} and exits {@value
 * Main#USAGE}; nothing has been changed.
 */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
