package dev.solo.ocr.engine.tesseract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.ocr.testing.Cer;
import dev.solo.ocr.testing.ScreenCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded engine on the twenty rendered screen images of {@link ScreenCorpus}: the character
 * error rate over the whole set must stay at most 0.5% ignoring whitespace and at most 1% counting
 * line breaks and indentation (issue 11). Each image's figures and what was read are written to
 * {@code target/ocr-accuracy/} for a person to look at.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class AccuracyTest {
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
    void characterErrorRatesOverTheScreenCorpus() throws Exception {
        Path out = Files.createDirectories(Path.of("target", "ocr-accuracy"));
        Cer.Count chars = new Cer.Count(0, 0);
        Cer.Count layout = new Cer.Count(0, 0);
        List<String> report = new ArrayList<>();
        for (ScreenCorpus.Sample s : ScreenCorpus.samples()) {
            ImageIO.write(s.image(), "png", out.resolve(s.name() + ".png").toFile());
            String read = engine.recognize(s.image());
            Files.writeString(out.resolve(s.name() + ".txt"), read);
            Cer.Count c = Cer.ignoringWhitespace(read, s.text());
            Cer.Count l = Cer.layout(read, s.text());
            chars = chars.plus(c);
            layout = layout.plus(l);
            report.add(String.format(
                    Locale.ROOT, "%-18s chars %6.2f%%  layout %6.2f%%", s.name(), 100 * c.rate(), 100 * l.rate()));
            if (l.errors() > 0) {
                report.add("  read:\n" + indent(read) + "\n  truth:\n" + indent(s.text()));
            }
        }
        report.add(String.format(
                Locale.ROOT,
                "ALL                chars %6.2f%%  layout %6.2f%%",
                100 * chars.rate(),
                100 * layout.rate()));
        String text = String.join("\n", report);
        Files.writeString(out.resolve("report.txt"), text + "\n");
        System.out.println(text);
        assertThat(chars.rate())
                .as("CER ignoring whitespace over the corpus%n%s", text)
                .isLessThanOrEqualTo(0.005);
        assertThat(layout.rate())
                .as("layout-sensitive CER over the corpus%n%s", text)
                .isLessThanOrEqualTo(0.01);
    }

    private static String indent(String s) {
        return s.lines().map(l -> "    |" + l).reduce((a, b) -> a + "\n" + b).orElse("");
    }
}
