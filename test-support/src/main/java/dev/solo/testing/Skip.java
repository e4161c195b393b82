package dev.solo.testing;

/**
 * One test that did not run.
 *
 * @param kind {@code prerequisite} (something {@code .ci/run} installs is missing; fails CI), {@code
 *     environment} (the machine lacks a feature no install provides, such as IPv6 loopback), {@code opt-in}
 *     (runs on request), {@code assumption} (another assumption failed; fails CI) or {@code disabled} (a
 *     condition)
 * @param className the test class, or empty
 * @param name the test method (and invocation), or the container's name
 * @param reason why, as JUnit reported it
 */
record Skip(String kind, String className, String name, String reason) {
    static final String PREREQUISITE = "prerequisite";
    static final String ENVIRONMENT = "environment";
    static final String OPT_IN = "opt-in";
    static final String ASSUMPTION = "assumption";
    static final String DISABLED = "disabled";

    static String kindOf(String reason, boolean aborted) {
        String r = reason == null ? "" : reason;
        if (r.contains(Prerequisite.MARKER)) return PREREQUISITE;
        if (r.contains(Prerequisite.NOT_HERE)) return ENVIRONMENT;
        if (r.startsWith(OptInCondition.MARKER)) return OPT_IN;
        return aborted ? ASSUMPTION : DISABLED;
    }

    /** Whether CI must fail on it: everything but opt-in tests and plain conditions. */
    boolean failsCi() {
        return kind.equals(PREREQUISITE) || kind.equals(ASSUMPTION);
    }

    String simpleClassName() {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    String toLine() {
        return String.join("\t", clean(kind), clean(className), clean(name), clean(reason));
    }

    static Skip parse(String line) {
        String[] f = line.split("\t", 4);
        if (f.length < 4) throw new IllegalArgumentException("not a skipped-test record: " + line);
        return new Skip(f[0], f[1], f[2], f[3]);
    }

    private static String clean(String s) {
        return s == null ? "" : s.replaceAll("[\\t\\r\\n]+", " ").strip();
    }
}
