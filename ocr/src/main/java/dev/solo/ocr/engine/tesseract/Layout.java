package dev.solo.ocr.engine.tesseract;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lays out Tesseract's words as the screen showed them: one output line per visual row, the leading
 * indentation of each row in spaces, wide gaps inside a row kept as runs of spaces, and a blank line
 * only where the picture has an empty line's worth of vertical space.
 *
 * <p>Why not Tesseract's own text: it separates the blocks and paragraphs it detects with blank
 * lines (a code listing gains a blank line wherever the indentation changes), drops leading
 * indentation, and reads table columns as separate blocks, one after the other.
 *
 * <p>How: words come from Tesseract's TSV output with their boxes. The lines Tesseract found are
 * merged into rows by vertical overlap (so a table's columns join again), words in a row are ordered
 * left to right. The character width is the median advance between neighbouring words per character,
 * which is exact for monospaced code and close to the average for proportional text; indentation and
 * gaps are measured in it. The line pitch is the median distance between neighbouring rows that are
 * close; a larger distance holds {@code round(distance / pitch) - 1} blank lines.
 */
final class Layout {
    /** Rows overlap when they share at least this part of the smaller one's height. */
    private static final double ROW_OVERLAP = 0.5;
    /** A gap between words wider than this many characters is kept as that many spaces. */
    private static final double WIDE_GAP = 2.0;

    /** The fewest pairs of neighbouring words {@link #monospaced} decides on. */
    private static final int MONO_PAIRS = 6;

    /** A recognised word and its box, in image pixels. */
    record Word(String lineKey, int left, int top, int width, int height, String text) {
        int right() {
            return left + width;
        }

        int bottom() {
            return top + height;
        }
    }

    private Layout() {}

    /** The words of Tesseract's TSV output ({@code TessBaseAPI.GetTSVText}), empty words dropped. */
    static List<Word> parseTsv(String tsv) {
        List<Word> words = new ArrayList<>();
        for (String line : tsv.split("\n")) {
            String[] f = line.split("\t", 12);
            if (f.length < 12 || !f[0].equals("5")) continue; // level 5: a word
            String text = f[11].strip();
            if (text.isEmpty()) continue;
            try {
                words.add(new Word(
                        f[1] + "." + f[2] + "." + f[3] + "." + f[4],
                        Integer.parseInt(f[6]),
                        Integer.parseInt(f[7]),
                        Integer.parseInt(f[8]),
                        Integer.parseInt(f[9]),
                        text));
            } catch (NumberFormatException e) {
                // a malformed row: skip it rather than lose the page
            }
        }
        return words;
    }

    /** The text of {@code words}, laid out; empty when there are none. */
    static String text(List<Word> words) {
        if (words.isEmpty()) return "";
        List<Row> rows = rows(words);
        double charWidth = charWidth(rows);
        boolean mono = monospaced(rows, charWidth);
        double pitch = pitch(rows);
        int margin = rows.stream().mapToInt(r -> r.left).min().orElse(0);
        StringBuilder out = new StringBuilder();
        Row previous = null;
        for (Row row : rows) {
            if (previous != null) {
                out.append('\n');
                long blank = Math.round((row.center() - previous.center()) / pitch) - 1;
                for (long i = 0; i < Math.min(blank, 3); i++) out.append('\n');
            }
            out.append(" ".repeat((int) Math.round((row.left - margin) / charWidth)));
            Word before = null;
            for (Word w : row.words) {
                if (before != null) out.append(" ".repeat(spaces(before, w, charWidth, mono)));
                out.append(w.text());
                before = w;
            }
            previous = row;
        }
        return out.toString();
    }

    /**
     * The spaces between two neighbouring words: in a monospaced font, the columns between their left
     * edges less the first word's characters (exact, whatever the glyphs' side bearings; none when
     * Tesseract split a word such as {@code f(x);} at its brackets); otherwise one
     * space, or the gap in characters when it is wider than {@value #WIDE_GAP} (table columns).
     */
    private static int spaces(Word before, Word next, double charWidth, boolean mono) {
        if (mono) {
            return (int) Math.max(0, Math.round((next.left() - before.left()) / charWidth) - length(before));
        }
        double gap = (next.left() - before.right()) / charWidth;
        return gap > WIDE_GAP ? (int) Math.round(gap) : 1;
    }

    /** One visual row: the words of one or more Tesseract lines that share the same height band. */
    private static final class Row {
        final List<Word> words = new ArrayList<>();
        int left = Integer.MAX_VALUE;
        int top = Integer.MAX_VALUE;
        int bottom = Integer.MIN_VALUE;

        void add(List<Word> line) {
            for (Word w : line) {
                words.add(w);
                left = Math.min(left, w.left());
                top = Math.min(top, w.top());
                bottom = Math.max(bottom, w.bottom());
            }
        }

        int height() {
            return bottom - top;
        }

        double center() {
            return (top + bottom) / 2.0;
        }

        boolean overlaps(int lineTop, int lineBottom) {
            int shared = Math.min(bottom, lineBottom) - Math.max(top, lineTop);
            int smaller = Math.max(1, Math.min(height(), lineBottom - lineTop));
            return shared >= ROW_OVERLAP * smaller;
        }
    }

    private static List<Row> rows(List<Word> words) {
        Map<String, List<Word>> lines = new LinkedHashMap<>();
        for (Word w : words)
            lines.computeIfAbsent(w.lineKey(), k -> new ArrayList<>()).add(w);
        List<List<Word>> ordered = new ArrayList<>(lines.values());
        ordered.sort(Comparator.comparingDouble(Layout::center));
        List<Row> rows = new ArrayList<>();
        for (List<Word> line : ordered) {
            int top = line.stream().mapToInt(Word::top).min().orElse(0);
            int bottom = line.stream().mapToInt(Word::bottom).max().orElse(0);
            Row row = null;
            for (Row r : rows) {
                if (r.overlaps(top, bottom)) row = r;
            }
            if (row == null) {
                row = new Row();
                rows.add(row);
            }
            row.add(line);
        }
        for (Row r : rows) r.words.sort(Comparator.comparingInt(Word::left));
        rows.sort(Comparator.comparingDouble(Row::center));
        return rows;
    }

    private static double center(List<Word> line) {
        int top = line.stream().mapToInt(Word::top).min().orElse(0);
        int bottom = line.stream().mapToInt(Word::bottom).max().orElse(0);
        return (top + bottom) / 2.0;
    }

    /**
     * The width of one character: the median over neighbouring words of (distance between their left
     * edges) / (characters of the first word + one space), over the pairs where that is close to the
     * first word's own width per character (neighbours one space apart); the median width per
     * character of the words when there are fewer than three such pairs.
     */
    static double charWidth(List<Row> rows) {
        List<Double> advances = new ArrayList<>();
        List<Double> widths = new ArrayList<>();
        for (Row r : rows) {
            for (int i = 0; i < r.words.size(); i++) {
                Word w = r.words.get(i);
                int n = length(w);
                double own = (double) w.width() / n;
                widths.add(own);
                if (i + 1 < r.words.size()) {
                    double advance = (double) (r.words.get(i + 1).left() - w.left()) / (n + 1);
                    if (advance >= 0.85 * own && advance <= 1.4 * own) advances.add(advance);
                }
            }
        }
        return Math.max(1, median(advances.size() >= 3 ? advances : widths));
    }

    /**
     * Whether the text is set in a monospaced font, as code in an editor or a terminal is: there, the
     * distance between the left edges of neighbouring words is a whole number of characters (up to
     * the glyphs' side bearings), so its fractional part averages well below the 0.25 of proportional
     * text. Needs {@value #MONO_PAIRS} pairs of neighbours: the character width is the median of the
     * same pairs' advances, so one pair of a short selection is a whole number of characters by
     * construction, and two more that happen to be near one made "Total: 1,234.56 EUR" read as code
     * with a double space.
     */
    static boolean monospaced(List<Row> rows, double charWidth) {
        double off = 0;
        int pairs = 0;
        for (Row r : rows) {
            for (int i = 0; i + 1 < r.words.size(); i++) {
                double columns = (r.words.get(i + 1).left() - r.words.get(i).left()) / charWidth;
                off += Math.abs(columns - Math.round(columns));
                pairs++;
            }
        }
        return pairs >= MONO_PAIRS && off / pairs <= 0.12;
    }

    private static int length(Word w) {
        return Math.max(1, w.text().codePointCount(0, w.text().length()));
    }

    /**
     * The distance between the centres of neighbouring rows with no blank line between them: the
     * median of the steps that are at most 1.5 times the lower quartile of all steps (a blank line
     * makes a step about twice as long); 1.5 row heights when there is no step.
     */
    static double pitch(List<Row> rows) {
        List<Double> steps = new ArrayList<>();
        for (int i = 1; i < rows.size(); i++)
            steps.add(rows.get(i).center() - rows.get(i - 1).center());
        if (steps.isEmpty())
            return Math.max(
                    1, 1.5 * median(rows.stream().map(r -> (double) r.height()).toList()));
        double[] sorted =
                steps.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double quartile = sorted[sorted.length / 4];
        return Math.max(
                1, median(steps.stream().filter(s -> s <= 1.5 * quartile).toList()));
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) return 1;
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
