package dev.solo.ocr.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
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

    /** Text, engine, size and timings, in the order {@code --json} prints them. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("text", text);
        map.put("engine", engine);
        map.put("width", width);
        map.put("height", height);
        map.put("decode_ms", decodeMillis);
        map.put("ocr_ms", ocrMillis);
        return map;
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
