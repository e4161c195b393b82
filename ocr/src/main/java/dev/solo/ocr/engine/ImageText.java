package dev.solo.ocr.engine;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * OCR of an encoded image (PNG, JPEG, whatever ImageIO reads): the path of {@code solo ocr --file}
 * and of the resident's {@code IMAGE} verb.
 *
 * @param text the recognised text
 * @param engine the engine's name
 * @param width the image width in pixels
 * @param height the image height in pixels
 * @param decodeMillis time to decode the image
 * @param ocrMillis time the engine took
 */
public record ImageText(String text, String engine, int width, int height, long decodeMillis, long ocrMillis) {

    /**
     * Decodes {@code bytes} and reads its text with {@code engine}.
     *
     * @param what how to name the input in errors, e.g. the file path or "IMAGE body"
     * @throws OcrException when the bytes are not an image, or OCR fails ({@link NoTextException}
     *     for an image without text)
     */
    public static ImageText read(byte[] bytes, String what, OcrEngine engine) throws InterruptedException {
        long t0 = System.nanoTime();
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            image = null;
        }
        if (image == null) {
            throw new OcrException(what + " (" + bytes.length + " bytes) is not an image this program can read;"
                    + " give a PNG or JPEG file");
        }
        long t1 = System.nanoTime();
        String text = engine.recognize(image);
        long t2 = System.nanoTime();
        return new ImageText(
                text, engine.name(), image.getWidth(), image.getHeight(), (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
    }

    /** One line of JSON: text, engine, size and timings. */
    public String toJson() {
        StringBuilder b = new StringBuilder(text.length() + 128).append("{\"text\":");
        quote(b, text);
        b.append(",\"engine\":");
        quote(b, engine);
        return b.append(String.format(
                        Locale.ROOT,
                        ",\"width\":%d,\"height\":%d,\"decode_ms\":%d,\"ocr_ms\":%d}",
                        width,
                        height,
                        decodeMillis,
                        ocrMillis))
                .toString();
    }

    static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        b.append('"');
    }
}
