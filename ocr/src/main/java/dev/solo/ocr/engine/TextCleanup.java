package dev.solo.ocr.engine;

/** Normalises what an engine returns: trailing spaces off every line, no leading or trailing blank lines. */
public final class TextCleanup {
    private TextCleanup() {}

    /** {@code text} with {@code \r\n} as {@code \n}, lines right-trimmed, outer blank lines removed. */
    public static String lines(String text) {
        String[] lines = text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
        StringBuilder b = new StringBuilder(text.length());
        for (String line : lines) b.append(line.stripTrailing()).append('\n');
        return b.toString().strip();
    }

    /**
     * {@code text} without control characters other than line feed and tab, for the clipboard: a
     * stray escape or NUL from a model must not reach another program's paste.
     */
    public static String forClipboard(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.replace("\r\n", "\n").codePoints().forEach(c -> {
            if (c == '\n' || c == '\t' || !(Character.isISOControl(c) || c == 0x2028 || c == 0x2029)) {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }
}
