package dev.solo.ocr.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.solo.ocr.codes.Codes;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OCR of an encoded image (PNG, JPEG, whatever ImageIO reads): the path of {@code solo ocr --file}
 * and of the resident's {@code IMAGE} verb.
 *
 * @param text the recognised text (and code contents)
 * @param codes the QR codes and barcodes found
 * @param engine the engine's name
 * @param width the image width in pixels
 * @param height the image height in pixels
 * @param decodeMillis time to decode the image
 * @param ocrMillis time the codes reader and the engine took
 */
public record ImageText(
        String text, List<Codes.Code> codes, String engine, int width, int height, long decodeMillis, long ocrMillis) {

    /**
     * Decodes {@code bytes} (at most {@code maxPixels}) and reads it with {@code recognizer}.
     *
     * @param what how to name the input in errors, e.g. the file path or "the IMAGE body"
     * @throws OcrException when the bytes are not an image, the image is too large, or OCR fails
     *     ({@link NoTextException} for an image without text or code)
     */
    public static ImageText read(byte[] bytes, String what, long maxPixels, String engine, Recognizer recognizer)
            throws InterruptedException {
        long t0 = System.nanoTime();
        BufferedImage image = Images.decode(bytes, what, maxPixels);
        long t1 = System.nanoTime();
        Reading reading = recognizer.read(image);
        long t2 = System.nanoTime();
        return new ImageText(
                reading.text(),
                reading.codes(),
                engine,
                image.getWidth(),
                image.getHeight(),
                (t1 - t0) / 1_000_000,
                (t2 - t1) / 1_000_000);
    }

    /** Text, codes, engine, size and timings, in the order {@code --json} prints them. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("text", text);
        map.put("codes", codes.stream().map(ImageText::code).toList());
        map.put("engine", engine);
        map.put("width", width);
        map.put("height", height);
        map.put("decode_ms", decodeMillis);
        map.put("ocr_ms", ocrMillis);
        return map;
    }

    private static Map<String, String> code(Codes.Code c) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", c.format());
        m.put("text", TextCleanup.withoutControls(c.text()));
        return m;
    }

    /** {@link #toMap()} as one line of JSON. */
    public String toJson() {
        try {
            return JsonMapper.MAPPER.writeValueAsString(toMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write plain strings and numbers as JSON", e);
        }
    }
}
