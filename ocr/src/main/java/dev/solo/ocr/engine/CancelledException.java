package dev.solo.ocr.engine;

/** The user closed the selection overlay (Esc) instead of selecting a region. */
public final class CancelledException extends OcrException {
    private static final long serialVersionUID = 1L;

    /** The wording clients show and match. */
    public static final String MESSAGE = "cancelled by the user";

    public CancelledException() {
        super(MESSAGE);
    }
}
