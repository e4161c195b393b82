package dev.solo.monitor.transcript;

/** A transcript cannot be read: refused by {@link ClaudeHome}, missing, or unreadable. The message says which. */
public final class TranscriptException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TranscriptException(String message) {
        super(message, null, false, false);
    }
}
