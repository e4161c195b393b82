package dev.solo.ocr.engine;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes PNG, JPEG and whatever else ImageIO reads, with a cap on the pixels: the size is read from
 * the header first, so a small file that claims 20000x20000 pixels is refused before a byte of it is
 * decoded (it would need 1.6 GB of heap).
 */
public final class Images {
    private Images() {}

    /**
     * The picture in {@code bytes}.
     *
     * @param what how to name the input in errors, e.g. the file path or "the IMAGE body"
     * @param maxPixels the most pixels (width times height) accepted
     * @throws OcrException when the bytes are not an image, or the image is too large; the message
     *     says which and what to do
     */
    public static BufferedImage decode(byte[] bytes, String what, long maxPixels) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) throw notAnImage(bytes, what, null);
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0);
                long h = reader.getHeight(0);
                if (w * h > maxPixels) {
                    throw new OcrException(String.format(
                            Locale.ROOT,
                            "%s is %dx%d pixels (%.1f megapixels), over the limit of %d megapixels"
                                    + " (OCR_MAX_MEGAPIXELS); crop or scale it down, or raise OCR_MAX_MEGAPIXELS",
                            what,
                            w,
                            h,
                            w * h / 1e6,
                            maxPixels / 1_000_000));
                }
                BufferedImage image = reader.read(0);
                if (image == null) throw notAnImage(bytes, what, null);
                return image;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof OcrException o) throw o;
            throw notAnImage(bytes, what, e);
        }
    }

    private static OcrException notAnImage(byte[] bytes, String what, Exception cause) {
        return new OcrException(
                what + " (" + bytes.length + " bytes) is not an image this program can read; give a PNG or JPEG file",
                cause);
    }
}
