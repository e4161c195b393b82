package dev.solo.ocr.engine.tesseract;

import dev.solo.ocr.engine.NoTextException;
import dev.solo.ocr.engine.OcrEngine;
import dev.solo.ocr.engine.OcrException;
import dev.solo.ocr.engine.TextCleanup;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tesseract.TessBaseAPI;
import org.bytedeco.tesseract.global.tesseract;

/**
 * Tesseract 5 embedded through bytedeco's JavaCPP presets (native library from Maven Central), with
 * the English LSTM model. Loading takes a few hundred milliseconds, which is why the resident keeps
 * one engine for its lifetime.
 *
 * <p>{@code TessBaseAPI} is not thread-safe: {@link #recognize} is serialised. The native call
 * cannot be interrupted; an interrupt is honoured before and after it.
 */
public final class TesseractEngine implements OcrEngine {
    /** Screen text is small; Tesseract reads best at about 30 px per line, so small images are scaled. */
    private static final int UPSCALE_BELOW = 2500;

    private final TessBaseAPI api;
    private boolean closed;

    private TesseractEngine(TessBaseAPI api) {
        this.api = api;
    }

    /**
     * Loads Tesseract and the English model (copied under {@code cacheRoot} at first use).
     *
     * @throws OcrException when the native library or the model cannot be loaded
     */
    public static TesseractEngine load(Path cacheRoot) {
        Path tessdata = Tessdata.ensure(cacheRoot);
        TessBaseAPI api;
        try {
            api = new TessBaseAPI();
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new OcrException(
                    "cannot load the native Tesseract library for " + System.getProperty("os.name")
                            + "/" + System.getProperty("os.arch") + ": " + e.getMessage()
                            + ". Build solo on this platform (./mvnw package) so its native classifier is bundled,"
                            + " or set OCR_ENGINE=llm.",
                    e);
        }
        if (api.Init(tessdata.toString(), "eng", tesseract.OEM_LSTM_ONLY) != 0) {
            api.close();
            throw new OcrException("Tesseract could not load the English model from " + tessdata
                    + ". Delete that directory so it is written again, and retry.");
        }
        api.SetPageSegMode(tesseract.PSM_AUTO);
        api.SetVariable("user_defined_dpi", "300");
        api.SetVariable("debug_file", "/dev/null");
        return new TesseractEngine(api);
    }

    @Override
    public String name() {
        return "tesseract";
    }

    @Override
    public synchronized String recognize(BufferedImage image) throws InterruptedException {
        if (closed) throw new OcrException("the Tesseract engine was closed");
        if (Thread.interrupted()) throw new InterruptedException();
        BufferedImage gray = grayscale(image);
        int w = gray.getWidth();
        int h = gray.getHeight();
        byte[] pixels = ((DataBufferByte) gray.getRaster().getDataBuffer()).getData();
        api.SetImage(pixels, w, h, 1, w);
        String text;
        try (BytePointer out = api.GetUTF8Text()) {
            if (out == null || out.isNull()) {
                throw new OcrException("Tesseract failed to recognise the " + image.getWidth() + "x" + image.getHeight()
                        + " image; try a larger region or OCR_ENGINE=llm");
            }
            text = out.getString(StandardCharsets.UTF_8);
        } finally {
            api.Clear();
        }
        if (Thread.interrupted()) throw new InterruptedException();
        String clean = TextCleanup.lines(text);
        if (clean.isEmpty()) throw new NoTextException();
        return clean;
    }

    /** 8-bit gray, scaled up twice for screen-sized text, on a white background. */
    static BufferedImage grayscale(BufferedImage src) {
        int scale = Math.max(src.getWidth(), src.getHeight()) < UPSCALE_BELOW ? 2 : 1;
        int w = Math.max(1, src.getWidth() * scale);
        int h = Math.max(1, src.getHeight() * scale);
        BufferedImage gray = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = gray.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.drawImage(src, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return gray;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        api.End();
        api.close();
    }
}
