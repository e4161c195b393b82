package dev.solo.ocr.hotkey;

import dev.solo.core.ConfigException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A key combination such as {@code ctrl+alt+q}: modifiers ({@code ctrl}, {@code alt}, {@code
 * shift}, {@code meta}/{@code super}/{@code win}) and one key (a letter, a digit, {@code f1}..
 * {@code f24}, {@code space}, {@code print}, {@code insert}, {@code pause}). Case and spaces do not
 * matter.
 *
 * @param key the key in upper case as JNativeHook and AWT name it: {@code Q}, {@code 7}, {@code F5},
 *     {@code SPACE}, {@code PRINTSCREEN}, {@code INSERT}, {@code PAUSE}
 */
public record Hotkey(Set<Modifier> modifiers, String key) {

    /** A modifier key. */
    public enum Modifier {
        CTRL,
        ALT,
        SHIFT,
        META
    }

    public Hotkey {
        modifiers = Set.copyOf(modifiers);
    }

    /**
     * Parses {@code text}.
     *
     * @param setting the setting name for the error message, e.g. {@code HOTKEY}
     * @param source where the value came from, e.g. {@code environment}, for the error message
     * @throws ConfigException naming the setting, the value and its source, with an example that works
     */
    public static Hotkey parse(String setting, String text, String source) {
        try {
            return parse(setting, text);
        } catch (ConfigException e) {
            String prefix = setting + "='" + text + "'";
            String m = e.getMessage();
            throw new ConfigException(
                    m.startsWith(prefix)
                            ? prefix + " (from " + source + ")" + m.substring(prefix.length())
                            : m.replaceFirst(
                                    "^" + java.util.regex.Pattern.quote(setting), setting + " (from " + source + ")"));
        }
    }

    private static Hotkey parse(String setting, String text) {
        String hint = ". Use modifiers (ctrl, alt, shift, meta) and one key joined by '+', e.g. ctrl+alt+q.";
        if (text == null || text.isBlank()) throw new ConfigException(setting + " is empty" + hint);
        EnumSet<Modifier> mods = EnumSet.noneOf(Modifier.class);
        String key = null;
        for (String raw : text.toLowerCase(Locale.ROOT).split("\\+", -1)) {
            String part = raw.strip();
            switch (part) {
                case "ctrl", "control" -> mods.add(Modifier.CTRL);
                case "alt", "option" -> mods.add(Modifier.ALT);
                case "shift" -> mods.add(Modifier.SHIFT);
                case "meta", "super", "win", "cmd", "command" -> mods.add(Modifier.META);
                default -> {
                    if (key != null) {
                        throw new ConfigException(setting + "='" + text + "' names two keys ('"
                                + key.toLowerCase(Locale.ROOT) + "' and '" + part + "')" + hint);
                    }
                    key = keyName(setting, text, part, hint);
                }
            }
        }
        if (key == null) throw new ConfigException(setting + "='" + text + "' has no key, only modifiers" + hint);
        if (mods.isEmpty()) {
            throw new ConfigException(setting + "='" + text + "' has no modifier; a global hotkey without one would"
                    + " swallow normal typing" + hint);
        }
        return new Hotkey(mods, key);
    }

    private static String keyName(String setting, String text, String part, String hint) {
        if (part.matches("[a-z0-9]")) return part.toUpperCase(Locale.ROOT);
        if (part.matches("f([1-9]|1[0-9]|2[0-4])")) return part.toUpperCase(Locale.ROOT);
        return switch (part) {
            case "space" -> "SPACE";
            case "print", "printscreen", "prtsc" -> "PRINTSCREEN";
            case "insert", "ins" -> "INSERT";
            case "pause" -> "PAUSE";
            default ->
                throw new ConfigException(
                        setting + "='" + text + "': '" + part + "' is not a key this hotkey can use" + hint);
        };
    }

    /** The canonical form, e.g. {@code ctrl+alt+q}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Modifier m : Modifier.values()) {
            if (modifiers.contains(m))
                b.append(m.name().toLowerCase(Locale.ROOT)).append('+');
        }
        return b.append(key.toLowerCase(Locale.ROOT)).toString();
    }
}
