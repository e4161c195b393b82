package dev.solo.ocr.codes;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.oned.Code128Writer;
import com.google.zxing.qrcode.QRCodeWriter;
import dev.solo.ocr.engine.Reading;
import dev.solo.ocr.engine.tesseract.TesseractEngine;
import dev.solo.ocr.testing.ScreenCorpus;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** QR codes and barcodes in a selection yield their content; text around them is still read. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CodesTest {
    @TempDir
    static Path cache;

    static TesseractEngine engine;

    @BeforeAll
    static void load() {
        engine = TesseractEngine.load(cache);
    }

    @AfterAll
    static void close() {
        if (engine != null) engine.close();
    }

    /** A white page with {@code matrix} drawn at (x, y), {@code module} pixels per module. */
    static void draw(Graphics2D g, BitMatrix matrix, int x, int y, int module, Color ink) {
        g.setColor(ink);
        for (int j = 0; j < matrix.getHeight(); j++) {
            for (int i = 0; i < matrix.getWidth(); i++) {
                if (matrix.get(i, j)) g.fillRect(x + i * module, y + j * module, module, module);
            }
        }
    }

    static BufferedImage page(int w, int h, Color background) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(background);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }

    @Test
    void aQrCodeAloneYieldsItsContent() throws Exception {
        BufferedImage img = page(200, 200, Color.WHITE);
        Graphics2D g = img.createGraphics();
        draw(
                g,
                new QRCodeWriter().encode("https://example.org/solo?x=1", BarcodeFormat.QR_CODE, 0, 0),
                30,
                30,
                4,
                Color.BLACK);
        g.dispose();
        Reading r = Reading.of(img, engine);
        assertThat(r.text()).isEqualTo("https://example.org/solo?x=1");
        assertThat(r.codes()).extracting(Codes.Code::format).containsExactly("QR_CODE");
    }

    @Test
    void aDarkModeQrCodeIsReadToo() throws Exception {
        BufferedImage img = page(200, 200, new Color(0x1e1e1e));
        Graphics2D g = img.createGraphics();
        draw(
                g,
                new QRCodeWriter().encode("WIFI:S:home;T:WPA;P:secret;;", BarcodeFormat.QR_CODE, 0, 0),
                30,
                30,
                4,
                Color.WHITE);
        g.dispose();
        assertThat(Reading.of(img, engine).text()).isEqualTo("WIFI:S:home;T:WPA;P:secret;;");
    }

    @Test
    void textAndABarcodeTogetherGiveTheTextThenTheCode() throws Exception {
        BufferedImage img = page(520, 200, Color.WHITE);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
        g.drawString("Order 4711 ships today", 20, 30);
        BitMatrix bars = new Code128Writer().encode("SOLO-4711-XZ", BarcodeFormat.CODE_128, 0, 0);
        for (int i = 0; i < bars.getWidth(); i++) {
            if (bars.get(i, 0)) g.fillRect(40 + i * 2, 60, 2, 90);
        }
        g.dispose();
        Reading r = Reading.of(img, engine);
        assertThat(r.text()).isEqualTo("Order 4711 ships today\nSOLO-4711-XZ");
        assertThat(r.codes()).extracting(Codes.Code::format).containsExactly("CODE_128");
    }

    @Test
    void noCodeIsFoundInOrdinaryScreenText() {
        for (ScreenCorpus.Sample s : ScreenCorpus.samples()) {
            assertThat(Codes.find(s.image())).as(s.name()).isEmpty();
        }
    }
}
