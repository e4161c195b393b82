package dev.solo.ocr.engine;

import java.awt.image.BufferedImage;

/**
 * Turns an image of text into the text. Two real implementations: the embedded {@code tesseract}
 * (offline, the default) and {@code llm} (an OpenAI-compatible chat-completions endpoint).
 *
 * <p>An engine is created once and kept: the resident exists so that a loaded engine answers
 * fast. Implementations are thread-safe (they serialise internally where the native code is not)
 * and must be {@link #close() closed}.
 */
public interface OcrEngine extends AutoCloseable {

    /** The engine's config name: {@code tesseract} or {@code llm}. */
    String name();

    /**
     * The text of {@code image}, lines separated by {@code \n}, trimmed.
     *
     * @throws NoTextException when the image holds no text
     * @throws OcrException when the engine fails; the message says why and what to do
     * @throws InterruptedException when the calling thread is interrupted (the work is abandoned)
     */
    String recognize(BufferedImage image) throws InterruptedException;

    /** Releases native memory or connections; idempotent. */
    @Override
    void close();
}
