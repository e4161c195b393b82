package dev.solo.monitor.transcript;

/** A transcript cannot be read: refused by {@link ClaudeHome}, missing, or unreadable. The message says which. */
public final class TranscriptException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean missing;

    public TranscriptException(String message) {
        this(message, false);
    }

    private TranscriptException(String message, boolean missing) {
        super(message, null, false, false);
        this.missing = missing;
    }

    /** The file is not there: not written yet (a session that has not answered), or removed since. */
    static TranscriptException missing(String message) {
        return new TranscriptException(message, true);
    }

    /** Whether the file is only missing, as opposed to refused or unreadable. */
    public boolean missing() {
        return missing;
    }
}
