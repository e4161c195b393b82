package dev.solo.ocr.engine.tesseract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.solo.ocr.engine.NoTextException;
import dev.solo.ocr.testing.TextImages;
import java.awt.Font;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The embedded Tesseract on text rendered by Java2D, in several fonts and sizes. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TesseractEngineTest {
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

    @Test
    void theModelIsCopiedFromTheJarToTheCache() throws Exception {
        Path model = cache.resolve("tessdata/eng.traineddata");
        assertThat(model).isRegularFile();
        assertThat(Files.size(model)).isGreaterThan(1_000_000);
        // A second load reuses the copy.
        long modified = Files.getLastModifiedTime(model).toMillis();
        assertThat(Tessdata.ensure("eng", cache.resolve("none"), "test", cache)).isEqualTo(cache.resolve("tessdata"));
        assertThat(Files.getLastModifiedTime(model).toMillis()).isEqualTo(modified);
    }

    @ParameterizedTest(name = "{0} {1} {2}pt")
    @CsvSource({
        "SansSerif, PLAIN, 12",
        "SansSerif, PLAIN, 16",
        "Serif, PLAIN, 14",
        "Serif, BOLD, 24",
        "Monospaced, PLAIN, 13",
        "Dialog, ITALIC, 18",
    })
    void readsRenderedMultiLineText(String family, String style, int size) throws Exception {
        int awtStyle = switch (style) {
            case "BOLD" -> Font.BOLD;
            case "ITALIC" -> Font.ITALIC;
            default -> Font.PLAIN;
        };
        List<String> lines = List.of("The quick brown fox jumps", "over the lazy dog 1234", "Hello from solo ocr");
        String text = engine.recognize(TextImages.render(lines, new Font(family, awtStyle, size)));
        assertThat(TextImages.words(text))
                .as("OCR of %s %s %dpt gave:%n%s", family, style, size, text)
                .containsExactlyElementsOf(TextImages.words(String.join("\n", lines)));
        assertThat(text.lines().count()).as("line breaks kept in:%n%s", text).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aBlankImageIsTheNoTextError() {
        assertThatThrownBy(() -> engine.recognize(TextImages.blank(400, 120)))
                .isInstanceOf(NoTextException.class)
                .hasMessage("no text detected in image");
    }

    @Test
    void aTinyImageIsTheNoTextErrorNotACrash() {
        assertThatThrownBy(() -> engine.recognize(TextImages.blank(1, 1))).isInstanceOf(NoTextException.class);
    }
}
