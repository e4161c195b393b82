package dev.solo.ocr.config;

import dev.solo.core.ConfigException;
import dev.solo.core.PortPolicy;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns one setting's text into its value, or a {@link ConfigException} that names the key, the value,
 * where it came from, and what to do.
 */
final class Checks {
    /** Model names of {@code OCR_LANG}: letters, digits and underscores, joined by {@code +}. */
    private static final Pattern LANGUAGES = Pattern.compile("[A-Za-z0-9_]{1,32}(\\+[A-Za-z0-9_]{1,32}){0,7}");

    private Checks() {}

    private static String from(OcrConfig.Entry e) {
        return " (from " + e.source().label() + ")";
    }

    static <E extends Enum<E>> E choice(OcrConfig.Entry e, Class<E> type) {
        String v = e.value();
        for (E c : type.getEnumConstants()) {
            if (c.name().equalsIgnoreCase(v == null ? "" : v.strip())) return c;
        }
        List<String> allowed = Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT))
                .toList();
        throw new ConfigException(e.setting() + "='" + v + "'" + from(e) + " is not one of "
                + String.join(", ", allowed) + ". Set it to one of them, or unset it for the default '"
                + e.setting().defaultValue() + "'.");
    }

    static int port(OcrConfig.Entry e) {
        String v = e.value().strip();
        try {
            int p = Integer.parseInt(v);
            if (p >= 1 && p <= 65535) return p;
        } catch (NumberFormatException ex) {
            // reported below
        }
        throw new ConfigException(e.setting() + "='" + v + "'" + from(e) + " is not a port from 1 to 65535."
                + " Fix it, or unset it for the default " + e.setting().defaultValue() + ".");
    }

    /** The range of the two port settings, each checked, the end not below the start. */
    static PortPolicy.Range ports(OcrConfig.Entry startEntry, OcrConfig.Entry endEntry) {
        int start = port(startEntry);
        int end = port(endEntry);
        if (end < start) {
            throw new ConfigException(endEntry.setting() + "=" + end + from(endEntry) + " is below "
                    + startEntry.setting() + "=" + start + from(startEntry)
                    + ": the port range is empty. Set the end to a port >= " + start + ".");
        }
        Map<String, String> env = new HashMap<>();
        env.put(PortPolicy.ENV_START, Integer.toString(start));
        env.put(PortPolicy.ENV_END, Integer.toString(end));
        return PortPolicy.rangeFromEnvironment(env, 49500, 49550);
    }

    static long wholeNumber(OcrConfig.Entry e, int min, int max) {
        String v = e.value();
        try {
            long n = Long.parseLong(v.strip());
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException ex) {
            // reported below
        }
        throw new ConfigException(e.setting() + "='" + v + "'" + from(e) + " is not a whole number from " + min + " to "
                + max + ". Fix it, or unset it for the default " + e.setting().defaultValue() + ".");
    }

    static URI url(OcrConfig.Entry e) {
        String v = e.value().strip();
        try {
            URI u = new URI(v.endsWith("/") ? v.substring(0, v.length() - 1) : v);
            if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) return u;
        } catch (URISyntaxException ex) {
            // reported below
        }
        throw new ConfigException(e.setting() + "='" + v + "'" + from(e) + " is not an http(s) URL such as "
                + e.setting().defaultValue() + " or http://127.0.0.1:11434/v1. Fix it, or unset it.");
    }

    static String languages(OcrConfig.Entry e) {
        String lang = e.value().strip();
        if (!LANGUAGES.matcher(lang).matches()) {
            throw new ConfigException(e.setting() + "='" + lang + "'" + from(e)
                    + " is not a list of model names such as eng or deu+eng (letters, digits, _ joined by +,"
                    + " at most 8). Fix it, or unset it for the default eng.");
        }
        return lang;
    }
}
