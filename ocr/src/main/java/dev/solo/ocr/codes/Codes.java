package dev.solo.ocr.codes;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.NotFoundException;
import com.google.zxing.PlanarYUVLuminanceSource;
import com.google.zxing.Result;
import com.google.zxing.ResultPoint;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.multi.GenericMultipleBarcodeReader;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * QR codes and barcodes in a picture, read with ZXing: a selected code yields its content, as the
 * screen-OCR tools people like do.
 *
 * <p>Formats: QR, Data Matrix, Aztec, PDF417, Code 128/39/93, EAN-13/8, UPC-A/E; dark-on-light and
 * inverted. Codabar, ITF and RSS are left out: on screen text they find codes that are not there.
 * Thread-safe (a reader per call).
 */
public final class Codes {
    private static final Map<DecodeHintType, Object> HINTS = new EnumMap<>(DecodeHintType.class);

    static {
        HINTS.put(
                DecodeHintType.POSSIBLE_FORMATS,
                EnumSet.of(
                        BarcodeFormat.QR_CODE,
                        BarcodeFormat.DATA_MATRIX,
                        BarcodeFormat.AZTEC,
                        BarcodeFormat.PDF_417,
                        BarcodeFormat.CODE_128,
                        BarcodeFormat.CODE_39,
                        BarcodeFormat.CODE_93,
                        BarcodeFormat.EAN_13,
                        BarcodeFormat.EAN_8,
                        BarcodeFormat.UPC_A,
                        BarcodeFormat.UPC_E));
        HINTS.put(DecodeHintType.TRY_HARDER, Boolean.TRUE);
        HINTS.put(DecodeHintType.ALSO_INVERTED, Boolean.TRUE);
    }

    /**
     * One code found.
     *
     * @param format ZXing's name of the symbology, e.g. {@code QR_CODE}
     * @param text the content
     * @param bounds where it is in the picture (a little larger than the code, so that masking it leaves
     *     no stray modules)
     */
    public record Code(String format, String text, Rectangle bounds) {}

    private Codes() {}

    /**
     * Pictures above this many pixels are searched at a smaller scale: the search costs time in
     * proportion to the pixels (seconds for a 36-megapixel screenshot), and a code on a screen has
     * modules of several pixels.
     */
    static final long SEARCH_PIXELS = 8_000_000;

    /** The codes in {@code image}, top to bottom; empty when there is none. */
    public static List<Code> find(BufferedImage image) {
        if (image.getWidth() < 21 || image.getHeight() < 8) return List.of();
        double scale = Math.min(1, Math.sqrt((double) SEARCH_PIXELS / ((long) image.getWidth() * image.getHeight())));
        int w = Math.max(1, (int) Math.round(image.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(image.getHeight() * scale));
        // one byte of luminance per pixel: a quarter of the memory of an ARGB copy
        BufferedImage gray = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = gray.createGraphics();
        try {
            g.setRenderingHint(
                    java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        byte[] luma = ((DataBufferByte) gray.getRaster().getDataBuffer()).getData();
        BinaryBitmap bitmap =
                new BinaryBitmap(new HybridBinarizer(new PlanarYUVLuminanceSource(luma, w, h, 0, 0, w, h, false)));
        Result[] results;
        try {
            results = new GenericMultipleBarcodeReader(new MultiFormatReader()).decodeMultiple(bitmap, HINTS);
        } catch (NotFoundException e) {
            return List.of();
        }
        List<Code> codes = new ArrayList<>();
        for (Result r : results) {
            if (r.getText() == null || r.getText().isEmpty()) continue;
            Rectangle box = scaled(bounds(r, luma, w, h), 1 / scale, image.getWidth(), image.getHeight());
            if (codes.stream()
                    .anyMatch(c -> c.text().equals(r.getText()) && c.bounds().intersects(box))) continue;
            codes.add(new Code(r.getBarcodeFormat().name(), r.getText(), box));
        }
        codes.sort(Comparator.comparingInt((Code c) -> c.bounds().y).thenComparingInt(c -> c.bounds().x));
        return codes;
    }

    private static Rectangle scaled(Rectangle r, double factor, int w, int h) {
        if (factor == 1) return r;
        Rectangle big = new Rectangle(
                (int) Math.floor(r.x * factor),
                (int) Math.floor(r.y * factor),
                (int) Math.ceil(r.width * factor) + 1,
                (int) Math.ceil(r.height * factor) + 1);
        return big.intersection(new Rectangle(0, 0, w, h));
    }

    /** A copy of {@code image} with every code's area painted white, for the text engine. */
    public static BufferedImage masked(BufferedImage image, List<Code> codes) {
        BufferedImage copy = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = copy.createGraphics();
        try {
            g.drawImage(image, 0, 0, null);
            g.setColor(Color.WHITE);
            for (Code c : codes) g.fill(c.bounds());
        } finally {
            g.dispose();
        }
        return copy;
    }

    /**
     * The area of a code. ZXing gives the centres of a 2D code's finder patterns, and for a 1D
     * barcode two points on the scan line; the box of the points is widened by a quarter (2D), or grown
     * up and down while the rows repeat the scan line's bars (1D).
     */
    private static Rectangle bounds(Result r, byte[] luma, int w, int h) {
        ResultPoint[] points = r.getResultPoints();
        if (points == null || points.length == 0) return new Rectangle(0, 0, w, h);
        float minX = Float.MAX_VALUE, minY = Float.MAX_VALUE, maxX = -1, maxY = -1;
        for (ResultPoint p : points) {
            if (p == null) continue;
            minX = Math.min(minX, p.getX());
            maxX = Math.max(maxX, p.getX());
            minY = Math.min(minY, p.getY());
            maxY = Math.max(maxY, p.getY());
        }
        Rectangle box;
        if (maxY - minY < 2) { // a 1D code: one scan line
            int y = Math.round(minY);
            int x0 = Math.max(0, Math.round(minX));
            int x1 = Math.min(w - 1, Math.round(maxX));
            int top = y;
            int bottom = y;
            while (top > 0 && sameBars(luma, w, x0, x1, y, top - 1)) top--;
            while (bottom < h - 1 && sameBars(luma, w, x0, x1, y, bottom + 1)) bottom++;
            int pad = Math.max(4, (x1 - x0) / 20);
            box = new Rectangle(x0 - pad, top - pad, x1 - x0 + 2 * pad, bottom - top + 2 * pad);
        } else {
            int padX = Math.round((maxX - minX) * 0.25f) + 4;
            int padY = Math.round((maxY - minY) * 0.25f) + 4;
            box = new Rectangle(
                    Math.round(minX) - padX,
                    Math.round(minY) - padY,
                    Math.round(maxX - minX) + 2 * padX,
                    Math.round(maxY - minY) + 2 * padY);
        }
        return box.intersection(new Rectangle(0, 0, w, h));
    }

    /** Whether row {@code y2} shows (nearly) the same dark and light pattern as row {@code y1}. */
    private static boolean sameBars(byte[] luma, int w, int x0, int x1, int y1, int y2) {
        int same = 0;
        for (int x = x0; x <= x1; x++) {
            if (((luma[y1 * w + x] & 0xff) < 128) == ((luma[y2 * w + x] & 0xff) < 128)) same++;
        }
        return same >= 0.9 * (x1 - x0 + 1);
    }
}
