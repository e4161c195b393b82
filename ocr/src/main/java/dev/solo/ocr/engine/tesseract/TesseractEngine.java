package dev.solo.ocr.engine.tesseract;

import dev.solo.ocr.engine.NoTextException;
import dev.solo.ocr.engine.OcrEngine;
import dev.solo.ocr.engine.OcrException;
import dev.solo.ocr.engine.TextCleanup;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tesseract.TessBaseAPI;
import org.bytedeco.tesseract.global.tesseract;

/**
 * Tesseract 5 embedded through bytedeco's JavaCPP presets (native library from Maven Central), with
 * the LSTM models of the configured languages. Loading takes a few hundred milliseconds, which is why
 * the resident keeps its engines for its lifetime.
 *
 * <p>The page is prepared for screen text ({@link ScreenImage}: grey, dark mode inverted, small text
 * scaled up) and read as one block of text; the words and their boxes are
 * laid out again by {@link Layout}, which keeps rows, indentation and real blank lines.
 *
 * <p>One {@code TessBaseAPI} is not thread-safe: {@link #recognize} is serialised per engine, and a
 * resident that reads several images at once holds several engines (an engine pool). The native call
 * cannot be interrupted; an interrupt is honoured before and after it.
 */
public final class TesseractEngine implements OcrEngine {
    private final TessBaseAPI api;
    private final String languages;
    private boolean closed;

    private TesseractEngine(TessBaseAPI api, String languages) {
        this.api = api;
        this.languages = languages;
    }

    /** Loads Tesseract with the English model; see {@link #load(Path, String, Path, String)}. */
    public static TesseractEngine load(Path cacheRoot) {
        return load(cacheRoot, "eng", cacheRoot.resolve("no-user-models"), "no model folder");
    }

    /**
     * Loads Tesseract and the models of {@code languages}.
     *
     * @param cacheRoot where models are copied when they come from several places
     * @param languages {@code +}-separated model names such as {@code deu+eng}, already checked
     * @param modelDir the user's model folder ({@code OCR_TESSDATA})
     * @param modelDirSource where {@code modelDir} came from, for error messages
     * @throws OcrException when the native library or a model cannot be loaded, naming what and where
     */
    public static TesseractEngine load(Path cacheRoot, String languages, Path modelDir, String modelDirSource) {
        Path tessdata = Tessdata.ensure(languages, modelDir, modelDirSource, cacheRoot);
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
        if (api.Init(tessdata.toString(), languages, tesseract.OEM_LSTM_ONLY) != 0) {
            api.close();
            throw new OcrException("Tesseract could not load the models " + languages + " from " + tessdata
                    + ". A model file may be damaged or made for another Tesseract version (4.x and 5.x LSTM"
                    + " models work): replace it, and retry.");
        }
        // A selection is one block of screen text; the layout below orders rows and columns itself. On the
        // screen corpus this reads lone braces and code lines that automatic segmentation drops.
        api.SetPageSegMode(tesseract.PSM_SINGLE_BLOCK);
        api.SetVariable("user_defined_dpi", "300");
        api.SetVariable("debug_file", "/dev/null");
        // keep runs of spaces in words' boxes apart; the layout puts the spaces back
        api.SetVariable("preserve_interword_spaces", "1");
        return new TesseractEngine(api, languages);
    }

    @Override
    public String name() {
        return "tesseract";
    }

    /** The models this engine reads with, e.g. {@code deu+eng}. */
    public String languages() {
        return languages;
    }

    @Override
    public synchronized String recognize(BufferedImage image) throws InterruptedException {
        if (closed) throw new OcrException("the Tesseract engine was closed");
        if (Thread.interrupted()) throw new InterruptedException();
        ScreenImage page = ScreenImage.prepare(image);
        api.SetImage(page.pixels(), page.width(), page.height(), 1, page.width());
        String tsv;
        try {
            if (api.Recognize(null) != 0) {
                throw new OcrException("Tesseract failed to recognise the " + image.getWidth() + "x" + image.getHeight()
                        + " image; try a larger region or OCR_ENGINE=llm");
            }
            try (BytePointer out = api.GetTSVText(0)) {
                tsv = out == null || out.isNull() ? "" : out.getString(StandardCharsets.UTF_8);
            }
        } finally {
            api.Clear();
        }
        if (Thread.interrupted()) throw new InterruptedException();
        String clean = TextCleanup.lines(Layout.text(Layout.parseTsv(tsv)));
        if (clean.isEmpty()) throw new NoTextException();
        return clean;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        api.End();
        api.close();
    }
}
