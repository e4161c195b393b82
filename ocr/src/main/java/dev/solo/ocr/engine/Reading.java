package dev.solo.ocr.engine;

import dev.solo.ocr.codes.Codes;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * What a picture says: its text and the content of any QR code or barcode in it.
 *
 * @param text the text, then each code's content on its own line; never empty
 * @param codes the codes found, top to bottom
 */
public record Reading(String text, List<Codes.Code> codes) {
    public Reading {
        codes = List.copyOf(codes);
    }

    /**
     * Reads {@code image}: codes first (with ZXing), then the text of the rest of the picture with
     * {@code engine} (the codes' areas painted white, so a code does not come out as noise).
     *
     * @throws NoTextException when there is neither text nor a code
     * @throws OcrException when the engine fails
     */
    public static Reading of(BufferedImage image, OcrEngine engine) throws InterruptedException {
        List<Codes.Code> codes = Codes.find(image);
        String text;
        try {
            text = engine.recognize(codes.isEmpty() ? image : Codes.masked(image, codes));
        } catch (NoTextException e) {
            if (codes.isEmpty()) throw e;
            text = "";
        }
        List<String> parts = new ArrayList<>();
        if (!text.isBlank()) parts.add(text);
        for (Codes.Code c : codes) parts.add(TextCleanup.withoutControls(c.text()));
        String all = TextCleanup.lines(String.join("\n", parts));
        if (all.isEmpty()) throw new NoTextException();
        return new Reading(all, codes);
    }
}
