package dev.solo.ocr.engine.tesseract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.solo.ocr.engine.OcrException;
import dev.solo.ocr.testing.TextImages;
import java.awt.Font;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Languages: models come from the user's folder or the jar, never from the network; a missing one is
 * an error that names the language and the folder. The German model is the test fixture {@code
 * tessdata-deu/deu.traineddata} (tessdata_fast, see its README).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TessdataTest {
    @TempDir
    Path cache;

    @TempDir
    Path models;

    private void installGerman() throws Exception {
        try (InputStream in = TessdataTest.class.getResourceAsStream("/tessdata-deu/deu.traineddata")) {
            Files.copy(in, models.resolve("deu.traineddata"));
        }
    }

    @Test
    void germanAndEnglishFromTheUserFolderAndTheJarReadUmlauts() throws Exception {
        installGerman();
        List<String> lines = List.of("Größere Übungen für Straßenbahnfahrer", "Schöne Grüße aus München");
        try (TesseractEngine engine = TesseractEngine.load(cache, "deu+eng", models, "test folder")) {
            assertThat(engine.languages()).isEqualTo("deu+eng");
            String text = engine.recognize(TextImages.render(lines, new Font(Font.SANS_SERIF, Font.PLAIN, 16)));
            assertThat(text).isEqualTo(String.join("\n", lines));
        }
        // eng came from the jar, deu from the folder: both were put side by side in the cache
        assertThat(cache.resolve("tessdata/deu.traineddata")).isRegularFile();
        assertThat(cache.resolve("tessdata/eng.traineddata")).isRegularFile();
    }

    @Test
    void englishAloneReadsTheSameWordsWithoutTheirUmlauts() throws Exception {
        List<String> lines = List.of("Schöne Grüße aus München");
        try (TesseractEngine engine = TesseractEngine.load(cache)) {
            String text = engine.recognize(TextImages.render(lines, new Font(Font.SANS_SERIF, Font.PLAIN, 16)));
            assertThat(text).isNotEqualTo(lines.get(0)); // the point of a German model
        }
    }

    @Test
    void aFolderHoldingEveryModelIsUsedAsItIs() throws Exception {
        installGerman();
        assertThat(Tessdata.ensure("deu", models, "test folder", cache)).isEqualTo(models);
        assertThat(cache.resolve("tessdata")).doesNotExist();
    }

    @Test
    void aMissingModelNamesTheLanguageAndWhereToPutIt() {
        assertThatThrownBy(() -> TesseractEngine.load(cache, "fra+eng", models, "OCR_TESSDATA from environment"))
                .isInstanceOf(OcrException.class)
                .hasMessage("no Tesseract model for the language fra (OCR_LANG=fra+eng). Put fra.traineddata into "
                        + models + " (OCR_TESSDATA from environment), e.g. from the tessdata_fast collection or your"
                        + " system's tesseract-ocr-fra package; solo never downloads models. Built in: eng.");
        assertThat(cache.resolve("tessdata")).doesNotExist();
    }

    @Test
    void aDamagedModelIsAClearError() throws Exception {
        Files.writeString(models.resolve("bad.traineddata"), "not a model");
        assertThatThrownBy(() -> TesseractEngine.load(cache, "bad", models, "test folder"))
                .isInstanceOf(OcrException.class)
                .hasMessageContaining("Tesseract could not load the models bad from " + models);
    }
}
