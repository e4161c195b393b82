package dev.solo.ocr.config;

import dev.solo.core.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code .env} file: {@code KEY=VALUE} lines, {@code #} comments, blank lines, an optional
 * {@code export } prefix, values optionally in single or double quotes. A line that is none of these
 * is an error naming the file and line: a typo is never ignored silently.
 */
final class DotEnv {
    private static final Pattern LINE =
            Pattern.compile("\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*(.*?)\\s*");

    private DotEnv() {}

    /** A value and the line it was on (1-based). */
    record Line(String value, int number) {}

    static Map<String, Line> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cannot read the .env file " + file + ": " + e.getMessage()
                    + ". Fix its permissions, or unset SOLO_OCR_ENV.");
        }
        Map<String, Line> values = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) continue;
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new ConfigException(file + ":" + (i + 1) + ": '" + trimmed
                        + "' is not KEY=VALUE. Fix the line or comment it out with #.");
            }
            values.put(m.group(1), new Line(unquote(m.group(2)), i + 1));
        }
        return values;
    }

    /**
     * Checks the keys of a {@code .env} file against the settings: a key one or two letters away from
     * a setting (a misspelling such as {@code MODLE}) is an error that names the file, the line and the
     * setting meant; any other unknown key is returned as a warning (the file may be shared with other
     * tools), never ignored without a word.
     *
     * @throws ConfigException for a likely misspelling
     */
    static List<String> checkKeys(Path file, Map<String, Line> values) {
        List<String> warnings = new java.util.ArrayList<>();
        for (Map.Entry<String, Line> e : values.entrySet()) {
            String key = e.getKey();
            if (known(key)) continue;
            String where = file + ":" + e.getValue().number() + ": ";
            String near = nearest(key);
            if (near != null) {
                throw new ConfigException(where + "'" + key + "' is not a setting of solo ocr; did you mean " + near
                        + "? Fix the name, or remove the line.");
            }
            warnings.add(where + "'" + key + "' is not a setting of solo ocr and is ignored (see 'solo ocr config').");
        }
        return warnings;
    }

    private static boolean known(String key) {
        for (Setting s : Setting.values()) if (s.name().equals(key)) return true;
        return false;
    }

    private static String nearest(String key) {
        for (Setting s : Setting.values()) {
            if (s.name().equalsIgnoreCase(key) || distance(s.name(), key.toUpperCase(java.util.Locale.ROOT)) <= 2) {
                return s.name();
            }
        }
        return null;
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
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

    private static String unquote(String v) {
        if (v.length() >= 2) {
            char first = v.charAt(0);
            char last = v.charAt(v.length() - 1);
            if ((first == '"' || first == '\'') && last == first) return v.substring(1, v.length() - 1);
        }
        int comment = v.indexOf(" #");
        return comment >= 0 ? v.substring(0, comment).strip() : v;
    }
}
