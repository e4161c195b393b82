package dev.solo.ocr.engine.tesseract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Layout} on word boxes made by hand: 10 px per character, 20 px per line. */
class LayoutTest {
    private static final int CW = 10;
    private static final int PITCH = 20;

    /** Words of a monospaced page: each line given as its text, spaces placing the words. */
    private static List<Layout.Word> mono(String... lines) {
        List<Layout.Word> words = new ArrayList<>();
        for (int row = 0; row < lines.length; row++) {
            String line = lines[row];
            int col = 0;
            while (col < line.length()) {
                if (line.charAt(col) == ' ') {
                    col++;
                    continue;
                }
                int end = line.indexOf(' ', col);
                if (end < 0) end = line.length();
                String w = line.substring(col, end);
                words.add(
                        new Layout.Word("1.1.1." + row, 5 + col * CW + 1, 3 + row * PITCH, w.length() * CW - 2, 14, w));
                col = end;
            }
        }
        return words;
    }

    @Test
    void keepsIndentationAndRealBlankLinesOnly() {
        String code = String.join("\n", "def f(x):", "    if x:", "        return 1", "", "    return 2");
        List<Layout.Word> words = mono(code.split("\n", -1));
        assertThat(Layout.text(words)).isEqualTo(code);
    }

    @Test
    void joinsTableColumnsThatTesseractReadAsSeparateLinesIntoRows() {
        List<Layout.Word> words = new ArrayList<>();
        // column one and column two are separate Tesseract lines (different blocks), same rows
        words.add(new Layout.Word("1.1.1.1", 0, 0, 40, 14, "Name"));
        words.add(new Layout.Word("1.1.1.2", 0, 20, 40, 14, "Cable"));
        words.add(new Layout.Word("2.1.1.1", 200, 1, 30, 14, "Qty"));
        words.add(new Layout.Word("2.1.1.2", 200, 21, 20, 14, "12"));
        String text = Layout.text(words);
        assertThat(text.lines().toList()).hasSize(2);
        assertThat(text.lines().map(l -> l.replaceAll(" +", " ")).toList()).containsExactly("Name Qty", "Cable 12");
    }

    @Test
    void aWordSplitAtItsBracketsIsJoinedAgainInMonospace() {
        List<Layout.Word> words = mono("clear(timer); x = 1;", "let y = 2;");
        // Tesseract splits "clear(timer);" into "clear" and "(timer);": same columns, no gap
        List<Layout.Word> split = new ArrayList<>();
        for (Layout.Word w : words) {
            if (w.text().equals("clear(timer);")) {
                split.add(new Layout.Word(w.lineKey(), w.left(), w.top(), 5 * CW - 2, w.height(), "clear"));
                split.add(new Layout.Word(w.lineKey(), w.left() + 5 * CW, w.top(), 8 * CW - 2, w.height(), "(timer);"));
            } else {
                split.add(w);
            }
        }
        assertThat(Layout.text(split)).isEqualTo("clear(timer); x = 1;\nlet y = 2;");
    }

    @Test
    void aShortProportionalSelectionKeepsItsSingleSpaces() {
        // Tesseract's boxes for two lines of 13 px DejaVu Sans, scaled 2x, as read from a screen: three
        // pairs of neighbours whose left edges happen to lie near whole multiples of the median advance
        List<Layout.Word> words = List.of(
                new Layout.Word("1.1.1.1", 34, 38, 136, 30, "Invoice"),
                new Layout.Word("1.1.1.1", 186, 38, 230, 30, "2026-11-30"),
                new Layout.Word("1.1.1.2", 30, 86, 108, 30, "Total:"),
                new Layout.Word("1.1.1.2", 160, 86, 172, 36, "1,234.56"),
                new Layout.Word("1.1.1.2", 352, 86, 78, 30, "EUR"));
        assertThat(Layout.text(words)).isEqualTo("Invoice 2026-11-30\nTotal: 1,234.56 EUR");
    }

    @Test
    void parsesTesseractTsvWordRowsOnly() {
        String tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
                + "1\t1\t0\t0\t0\t0\t0\t0\t100\t50\t-1\t\n"
                + "5\t1\t1\t1\t1\t1\t10\t10\t30\t12\t96.5\tHello\n"
                + "5\t1\t1\t1\t1\t2\t45\t10\t30\t12\t95.1\t \n"
                + "5\t1\t1\t1\t1\t3\t50\t10\t30\t12\t95.1\tworld\n";
        assertThat(Layout.parseTsv(tsv)).extracting(Layout.Word::text).containsExactly("Hello", "world");
        assertThat(Layout.text(List.of())).isEmpty();
    }
}
