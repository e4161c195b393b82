package dev.solo.ocr.testing;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Twenty screen images rendered with Java2D, as a desktop shows text: proportional and monospaced
 * fonts from 9 to 24 px, light and dark themes, code with indentation and blank lines, a table, a
 * terminal, 2x HiDPI renderings and JPEG-compressed screenshots. Each comes with the text it shows,
 * laid out as it is drawn (indentation in spaces, blank lines where a line is left empty).
 *
 * <p>The accuracy test and the {@code tesseract} side-by-side benchmark read the same set. Fonts are
 * Java's logical fonts, which map to DejaVu on Linux ({@code fonts-dejavu-core}).
 */
public final class ScreenCorpus {
    /** One image and its text. {@code png} holds the encoded bytes (PNG, or JPEG for the JPEG cases). */
    public record Sample(String name, BufferedImage image, byte[] encoded, String format, String text) {}

    private record Style(Font font, Color fg, Color bg, double scale, boolean lcd) {}

    private ScreenCorpus() {}

    private static final Color LIGHT_BG = Color.WHITE;
    private static final Color DARK_BG = new Color(0x1e1e1e);
    private static final Color DARK_FG = new Color(0xd4d4d4);

    /** The twenty samples, in a fixed order. */
    public static List<Sample> samples() {
        List<Sample> s = new ArrayList<>();
        s.add(png("prose-sans-13", PROSE, style(Font.SANS_SERIF, Font.PLAIN, 13)));
        s.add(png("prose-serif-15", PROSE_2, style(Font.SERIF, Font.PLAIN, 15)));
        s.add(png("ui-sans-9", UI_SMALL, style(Font.SANS_SERIF, Font.PLAIN, 9)));
        s.add(png("ui-dialog-11", UI_LABELS, style(Font.DIALOG, Font.PLAIN, 11)));
        s.add(png("heading-24", HEADING, style(Font.SANS_SERIF, Font.BOLD, 24)));
        s.add(png("bold-16", PROSE_3, style(Font.SANS_SERIF, Font.BOLD, 16)));
        s.add(png("italic-15", PROSE_4, style(Font.SERIF, Font.ITALIC, 15)));
        s.add(png("code-java-13", CODE_JAVA, style(Font.MONOSPACED, Font.PLAIN, 13)));
        s.add(png("code-python-15", CODE_PYTHON, style(Font.MONOSPACED, Font.PLAIN, 15)));
        s.add(png("code-dark-14", CODE_GO, new Style(mono(14), DARK_FG, DARK_BG, 1, false)));
        s.add(png("prose-dark-16", PROSE_5, new Style(sans(16), DARK_FG, DARK_BG, 1, false)));
        s.add(png("terminal-14", TERMINAL, new Style(mono(14), new Color(0x4ec94e), Color.BLACK, 1, false)));
        s.add(png("log-mono-12", LOG, style(Font.MONOSPACED, Font.PLAIN, 12)));
        s.add(png("table-14", TABLE, style(Font.SANS_SERIF, Font.PLAIN, 14)));
        s.add(png("hidpi-code-13", CODE_JS, new Style(mono(13), Color.BLACK, LIGHT_BG, 2, false)));
        s.add(png("hidpi-prose-12", PROSE_6, new Style(sans(12), new Color(0x24292f), LIGHT_BG, 2, false)));
        s.add(png("lcd-sans-14", PROSE_7, new Style(sans(14), Color.BLACK, LIGHT_BG, 1, true)));
        s.add(png("link-on-grey-14", LINKS, new Style(sans(14), new Color(0x0b57d0), new Color(0xeeeeee), 1, false)));
        s.add(jpeg("jpeg-prose-14", PROSE_8, style(Font.SANS_SERIF, Font.PLAIN, 14)));
        s.add(jpeg("jpeg-code-13", CODE_SHELL, style(Font.MONOSPACED, Font.PLAIN, 13)));
        return s;
    }

    private static Font sans(int px) {
        return new Font(Font.SANS_SERIF, Font.PLAIN, px);
    }

    private static Font mono(int px) {
        return new Font(Font.MONOSPACED, Font.PLAIN, px);
    }

    private static Style style(String family, int weight, int px) {
        return new Style(new Font(family, weight, px), Color.BLACK, LIGHT_BG, 1, false);
    }

    private static Sample png(String name, String text, Style style) {
        BufferedImage img = render(text, style);
        return new Sample(name, img, encode(img, "png"), "png", text);
    }

    private static Sample jpeg(String name, String text, Style style) {
        BufferedImage img = render(text, style);
        byte[] jpeg = encodeJpeg(img, 0.75f);
        try {
            return new Sample(name, ImageIO.read(new ByteArrayInputStream(jpeg)), jpeg, "jpg", text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code text} drawn line by line, a line's leading spaces as that many space advances. */
    static BufferedImage render(String text, Style style) {
        Font font = style.font().deriveFont((float) (style.font().getSize2D() * style.scale()));
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        FontMetrics fm = pg.getFontMetrics(font);
        pg.dispose();
        List<String> lines = text.lines().toList();
        int lineHeight = (int) Math.ceil(fm.getHeight() * 1.15);
        int margin = (int) (12 * style.scale());
        int width = lines.stream().mapToInt(fm::stringWidth).max().orElse(0) + 2 * margin;
        int height = lines.size() * lineHeight + 2 * margin;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(
                RenderingHints.KEY_TEXT_ANTIALIASING,
                style.lcd() ? RenderingHints.VALUE_TEXT_ANTIALIAS_LCD_HRGB : RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_OFF);
        g.setColor(style.bg());
        g.fillRect(0, 0, width, height);
        g.setColor(style.fg());
        g.setFont(font);
        int y = margin + fm.getAscent();
        for (String line : lines) {
            g.drawString(line, margin, y);
            y += lineHeight;
        }
        g.dispose();
        return img;
    }

    static byte[] encode(BufferedImage img, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] encodeJpeg(BufferedImage img, float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality);
            writer.write(null, new IIOImage(img, null, null), p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    static final String PROSE =
            """
            The resident keeps one engine loaded, so a request that arrives
            while the user works is answered in a fraction of a second. When
            no resident runs, the client reads the image itself and exits.""";

    static final String PROSE_2 =
            """
            Screen text is small and sharp: antialiased glyphs on a flat
            background, with none of the noise of a scanned page. Reading it
            well is mostly a matter of scale and of keeping the layout.""";

    static final String UI_SMALL =
            """
            Settings  Account  Notifications  Privacy
            Last synced 4 minutes ago from laptop-7
            Storage used: 12.4 GB of 15 GB (82%)""";

    static final String UI_LABELS =
            """
            File  Edit  View  Go  Run  Terminal  Help
            Open Recent > project-alpha/src/main
            Save All (Ctrl+K S)   Revert File   Close Editor""";

    static final String HEADING =
            """
            Release notes for version 2.4
            Faster start and fewer surprises""";

    static final String PROSE_3 =
            """
            Warning: the token file is readable by others.
            Run chmod 600 on it before you continue.""";

    static final String PROSE_4 =
            """
            A quiet process that waits on a port, answers when asked,
            and steps aside when its user logs out: that is all we need.""";

    static final String CODE_JAVA =
            """
            public final class Counter {
                private int count;

                public int next() {
                    if (count == Integer.MAX_VALUE) {
                        throw new IllegalStateException("overflow");
                    }
                    return ++count;
                }
            }""";

    static final String CODE_PYTHON =
            """
            def parse(lines):
                result = {}
                for line in lines:
                    key, _, value = line.partition("=")
                    result[key.strip()] = value.strip()

                return result""";

    static final String CODE_GO =
            """
            func main() {
                port := flag.Int("port", 49500, "first port")
                flag.Parse()
                if err := serve(*port); err != nil {
                    log.Fatal(err)
                }
            }""";

    static final String PROSE_5 =
            """
            Dark themes turn the page around: light grey letters
            on a near black background, which the engine reads
            once the picture is inverted.""";

    static final String TERMINAL =
            """
            $ ./mvnw -q verify
            Tests run: 143, Failures: 0, Errors: 0, Skipped: 2
            BUILD SUCCESS in 4 min 12 s""";

    static final String LOG =
            """
            2026-11-30 09:14:02 INFO  listening on 127.0.0.1:49500
            2026-11-30 09:14:07 WARN  client 4242 sent no line in 2000 ms
            2026-11-30 09:15:31 ERROR engine failed: model not found""";

    static final String TABLE =
            """
            Name          Quantity    Price
            Keyboard      2           49.90
            Monitor       1           229.00
            Cable         12          3.50""";

    static final String CODE_JS =
            """
            export function debounce(fn, wait) {
              let timer;
              return (...args) => {
                clearTimeout(timer);
                timer = setTimeout(() => fn(...args), wait);
              };
            }""";

    static final String PROSE_6 =
            """
            On a HiDPI screen every logical pixel is two device pixels,
            so a crop of the frozen capture keeps twice the detail.""";

    static final String PROSE_7 =
            """
            Subpixel rendering adds colour fringes to every stem,
            which a grey conversion turns back into plain edges.""";

    static final String LINKS =
            """
            Documentation   Issues   Pull requests   Releases
            See the changelog for what moved in this version.""";

    static final String PROSE_8 =
            """
            A compressed screenshot blurs the edges of each letter
            and adds faint blocks around them, yet the words remain.""";

    static final String CODE_SHELL =
            """
            for f in *.png; do
                tesseract "$f" - --psm 6 >> out.txt
            done

            grep -c ERROR out.txt""";
}
