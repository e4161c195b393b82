package dev.solo.ocr.engine;

/**
 * Normalises text before it leaves an engine, the resident or the client: no control characters,
 * no trailing spaces, no leading or trailing blank lines. Indentation is kept.
 */
public final class TextCleanup {
    private TextCleanup() {}

    /**
     * {@code text} with {@code \r\n} and {@code \r} as {@code \n}, control characters removed ({@link
     * #withoutControls}), lines right-trimmed, blank lines at the start and the end removed. The first
     * line keeps its indentation.
     */
    public static String lines(String text) {
        String[] lines = withoutControls(text).split("\n", -1);
        StringBuilder b = new StringBuilder(text.length());
        for (String line : lines) {
            String trimmed = line.stripTrailing();
            if (b.length() == 0 && trimmed.isEmpty()) continue;
            b.append(trimmed).append('\n');
        }
        return b.toString().stripTrailing();
    }

    /**
     * {@code text} without control characters other than line feed and tab ({@code \r\n} and a lone
     * {@code \r} become {@code \n}): an escape sequence, BEL or NUL from a model must reach neither a
     * terminal nor another program's paste. Unicode line and paragraph separators become {@code \n}.
     */
    public static String withoutControls(String text) {
        StringBuilder b = new StringBuilder(text.length());
        String normal = text.replace("\r\n", "\n").replace('\r', '\n');
        normal.codePoints().forEach(c -> {
            if (c == 0x2028 || c == 0x2029) b.append('\n');
            else if (c == '\n' || c == '\t' || !Character.isISOControl(c)) b.appendCodePoint(c);
        });
        return b.toString();
    }

    /** The clipboard's text: {@link #withoutControls}. */
    public static String forClipboard(String text) {
        return withoutControls(text);
    }
}
