package dev.solo.ocr.engine;

import dev.solo.core.SoloException;

/** OCR failed; the message says what happened and what to do next. */
public class OcrException extends SoloException {
    private static final long serialVersionUID = 1L;

    public OcrException(String message) {
        super(message);
    }

    public OcrException(String message, Throwable cause) {
        super(message, cause);
    }
}
