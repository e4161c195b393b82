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

    static Map<String, String> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cannot read the .env file " + file + ": " + e.getMessage()
                    + ". Fix its permissions, or unset SOLO_OCR_ENV.");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) continue;
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new ConfigException(file + ":" + (i + 1) + ": '" + trimmed
                        + "' is not KEY=VALUE. Fix the line or comment it out with #.");
            }
            values.put(m.group(1), unquote(m.group(2)));
        }
        return values;
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
