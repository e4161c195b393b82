package dev.solo.ocr.testing;

/**
 * Character error rate: the edit distance between what was read and the truth, divided by the
 * truth's length, in two forms.
 *
 * <ul>
 *   <li>{@link #ignoringWhitespace}: all whitespace removed from both, so only the characters count.
 *   <li>{@link #layout}: lines, blank lines and leading indentation count; runs of spaces inside a
 *       line count as one space, trailing spaces and blank lines at the ends do not count.
 * </ul>
 */
public final class Cer {
    private Cer() {}

    /** Edit distance and truth length of one comparison; add them up to get a CER over a set. */
    public record Count(long errors, long length) {
        public double rate() {
            return length == 0 ? 0 : (double) errors / length;
        }

        public Count plus(Count o) {
            return new Count(errors + o.errors, length + o.length);
        }
    }

    public static Count ignoringWhitespace(String read, String truth) {
        String a = read.replaceAll("\\s+", "");
        String b = truth.replaceAll("\\s+", "");
        return new Count(distance(a, b), b.length());
    }

    public static Count layout(String read, String truth) {
        String a = normaliseLayout(read);
        String b = normaliseLayout(truth);
        return new Count(distance(a, b), b.length());
    }

    /** Lines right-trimmed, inner runs of spaces as one, outer blank lines dropped; indentation kept. */
    public static String normaliseLayout(String text) {
        StringBuilder b = new StringBuilder();
        for (String line : text.replace("\t", "    ").split("\n", -1)) {
            String trimmed = line.stripTrailing();
            int indent = trimmed.length() - trimmed.stripLeading().length();
            b.append(" ".repeat(indent))
                    .append(trimmed.stripLeading().replaceAll(" {2,}", " "))
                    .append('\n');
        }
        return b.toString().replaceAll("^\\n+", "").stripTrailing();
    }

    /** Levenshtein distance over UTF-16 units (the corpus is ASCII and Latin-1). */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
