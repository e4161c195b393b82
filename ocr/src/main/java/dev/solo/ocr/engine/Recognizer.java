package dev.solo.ocr.engine;

import java.awt.image.BufferedImage;

/** Reads a picture: an engine of a pool, or the one engine of a standalone run. */
@FunctionalInterface
public interface Recognizer {
    /**
     * @throws NoTextException when there is neither text nor a code
     * @throws OcrException when reading fails
     */
    Reading read(BufferedImage image) throws InterruptedException;
}
