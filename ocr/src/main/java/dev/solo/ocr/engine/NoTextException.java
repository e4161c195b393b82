package dev.solo.ocr.engine;

/** The image was read, and it holds no text. */
public final class NoTextException extends OcrException {
    private static final long serialVersionUID = 1L;

    /** The message every engine uses, so users and scripts see one wording. */
    public static final String MESSAGE = "no text detected in image";

    public NoTextException() {
        super(MESSAGE);
    }
}
