package dev.solo.ocr.engine.tesseract;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * A screenshot made ready for Tesseract, which is trained on dark text on a light page at about 30
 * pixels per line: 8-bit grey, inverted when the picture is mostly dark (dark mode, terminals), and
 * scaled up when it is small.
 *
 * @param pixels one byte per pixel, row by row
 */
record ScreenImage(byte[] pixels, int width, int height, int scale) {
    /** Pictures whose longer side is below this are scaled up by {@link #SCALE}. */
    static final int UPSCALE_BELOW = 2500;

    static final int SCALE = 2;

    static ScreenImage prepare(BufferedImage src) {
        int scale = Math.max(src.getWidth(), src.getHeight()) < UPSCALE_BELOW ? SCALE : 1;
        int w = Math.max(1, src.getWidth() * scale);
        int h = Math.max(1, src.getHeight() * scale);
        BufferedImage gray = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = gray.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.drawImage(src, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        byte[] pixels = ((DataBufferByte) gray.getRaster().getDataBuffer()).getData();
        if (mostlyDark(pixels)) {
            for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) (255 - (pixels[i] & 0xff));
        }
        return new ScreenImage(pixels, w, h, scale);
    }

    /** Whether the median grey is below the middle: the background is dark. */
    static boolean mostlyDark(byte[] pixels) {
        int[] histogram = new int[256];
        int step = Math.max(1, pixels.length / 200_000); // a sample is enough for the median
        int n = 0;
        for (int i = 0; i < pixels.length; i += step, n++) histogram[pixels[i] & 0xff]++;
        int seen = 0;
        for (int v = 0; v < 256; v++) {
            seen += histogram[v];
            if (seen * 2 >= n) return v < 128;
        }
        return false;
    }
}
