package dev.solo.ocr.testing;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/** Renders text with Java2D, as a screen would show it, and compares OCR output word by word. */
public final class TextImages {
    private TextImages() {}

    /** Black {@code lines} in {@code font} on white, with a margin. */
    public static BufferedImage render(List<String> lines, Font font) {
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        FontMetrics fm = pg.getFontMetrics(font);
        pg.dispose();
        int width = lines.stream().mapToInt(fm::stringWidth).max().orElse(0) + 2 * fm.getHeight();
        int height = (lines.size() + 1) * fm.getHeight();
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(font);
        int y = fm.getHeight() / 2 + fm.getAscent();
        for (String line : lines) {
            g.drawString(line, fm.getHeight(), y);
            y += fm.getHeight();
        }
        g.dispose();
        return img;
    }

    /** A white image of the given size. */
    public static BufferedImage blank(int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return img;
    }

    /** Lower-case words without punctuation, in order: OCR may differ in spacing, not in words. */
    public static List<String> words(String text) {
        return List.of(text.toLowerCase(Locale.ROOT)
                        .replaceAll("[^\\p{L}\\p{N}\\s]", " ")
                        .strip()
                        .split("\\s+"))
                .stream()
                .filter(w -> !w.isEmpty())
                .toList();
    }
}
