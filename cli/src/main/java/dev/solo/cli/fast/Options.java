package dev.solo.cli.fast;

/**
 * The options of one recognised command line, read without picocli: flags and single-valued options,
 * each given at most once, as {@code --name value} or {@code --name=value}. Anything else (an unknown
 * word, a repeated option, a value that looks like an option, {@code --}) makes {@link #read} answer
 * {@code null}, and the full command line takes over with its own messages. No regex, no collections.
 */
final class Options {
    private final String[] flags;
    private final String[] valued;
    private final boolean[] flagSet;
    private final String[] values;

    private Options(String[] flags, String[] valued) {
        this.flags = flags;
        this.valued = valued;
        this.flagSet = new boolean[flags.length];
        this.values = new String[valued.length];
    }

    /**
     * Reads {@code args[from..]}; {@code null} when a word is not one of {@code flags} or {@code valued}
     * (with its value), or repeats one. A value may be {@code -} (stdin) but not another word that begins
     * with {@code -}, nor empty.
     */
    static Options read(String[] args, int from, String[] flags, String[] valued) {
        Options o = new Options(flags, valued);
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            int f = indexOf(flags, a);
            if (f >= 0) {
                if (o.flagSet[f]) return null;
                o.flagSet[f] = true;
                continue;
            }
            int eq = a.indexOf('=');
            String name = eq < 0 ? a : a.substring(0, eq);
            int v = indexOf(valued, name);
            if (v < 0 || o.values[v] != null) return null;
            String value;
            if (eq >= 0) {
                value = a.substring(eq + 1);
            } else {
                if (i + 1 >= args.length) return null;
                value = args[++i];
            }
            if (value.isEmpty() || (value.charAt(0) == '-' && !value.equals("-"))) return null;
            o.values[v] = value;
        }
        return o;
    }

    boolean has(String flag) {
        return flagSet[indexOf(flags, flag)];
    }

    /** The value of {@code option}, or {@code null} when it was not given. */
    String value(String option) {
        return values[indexOf(valued, option)];
    }

    /**
     * A whole number in plain decimal (no sign, no leading zero, at most 9 digits), or -1 for anything
     * else: picocli reads more forms ({@code +5}, {@code 0x10}, {@code 010}), and those are left to it.
     */
    static int plainNumber(String text) {
        if (text == null || text.isEmpty() || text.length() > 9 || text.charAt(0) == '0') return -1;
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') return -1;
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static int indexOf(String[] names, String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) return i;
        }
        return -1;
    }
}
