package dev.solo.testing;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.opentest4j.TestAbortedException;

/**
 * Something outside the JVM that some tests need: a program, a browser, a network feature. A test
 * that lacks one is <b>skipped with the reason and the way to enable it</b>, and that reason shows in
 * the build's skipped-tests summary; under {@code CI=true} (where {@code .ci/run} installed
 * everything) a missing prerequisite that CI installs <b>fails</b> the test instead.
 *
 * <p>Use {@link Requires @Requires} on a class or method, or {@link #require()} inside a test. To try
 * the skip path on a machine that has everything, hide prerequisites with {@code
 * -Dsolo.test.without=chromium,xvfb} (or the environment variable {@code SOLO_TEST_WITHOUT}); {@code
 * all} hides every one.
 */
public enum Prerequisite {
    XVFB(
            "Xvfb",
            "the desktop tests (screen capture, overlay, clipboard, hotkey) need an X server",
            "apt-get install xvfb xauth",
            true,
            () -> Programs.find("Xvfb")),
    XCLIP(
            "xclip",
            "the clipboard tests read the X clipboard back from another process",
            "apt-get install xclip",
            true,
            () -> Programs.find("xclip")),
    CHROMIUM(
            "Chromium",
            "the dashboard tests drive a real browser",
            "apt-get install chromium, or point -Dsolo.chromium=PATH at a Chromium or Chrome binary",
            true,
            ChromiumBinary::locate),
    PYTHON3(
            "python3",
            "the Claude Code tests run the stand-in Messages API on python3",
            "apt-get install python3",
            true,
            () -> Programs.find("python3")),
    CLAUDE_CODE(
            "Claude Code CLI",
            "the end-to-end tests run real Claude Code sessions (offline, against a stand-in API)",
            "npm install @anthropic-ai/claude-code into a folder and set SOLO_TEST_CLAUDE=<folder>/node_modules/.bin/claude"
                    + " (or -Dsolo.test.claude=…, or put 'claude' on PATH)",
            true,
            ClaudeCode::locate),
    TMUX(
            "tmux",
            "the interactive Claude Code tests drive a terminal",
            "apt-get install tmux",
            true,
            () -> Programs.find("tmux")),
    SETPRIV(
            "setpriv",
            "the other-user tests run a process as 'nobody'",
            "apt-get install util-linux, and run the tests as root",
            true,
            () -> Programs.find("setpriv")),
    FLOCK(
            "flock",
            "the launcher test of two builds at once needs flock(1), with which the launcher waits for another's build",
            "apt-get install util-linux",
            true,
            () -> Programs.find("flock")),
    IPV6_LOOPBACK(
            "IPv6 loopback",
            "the tests of listeners on [::1] need an IPv6 loopback address",
            "enable IPv6 on the loopback interface (sysctl net.ipv6.conf.lo.disable_ipv6=0)",
            false,
            () -> Optional.ofNullable(Loopback.V6).map(a -> "[::1]")),
    JDK_AOT(
            "JDK " + AotJdk.FIRST + " or later",
            "the tests of solo on a newer JDK (the launcher's archives, the monitor's AOT cache) run it on one"
                    + " (Debian bookworm has none to install)",
            "install one under /usr/lib/jvm (e.g. Temurin 25), run the build on one, or set SOLO_TEST_JAVA_AOT to its"
                    + " home",
            false,
            AotJdk::locate);

    /** The skip reasons of prerequisites that {@code .ci/run} installs start with this. */
    public static final String MARKER = "missing prerequisite: ";
    /** The skip reasons of what no install provides (a network feature) start with this; CI tolerates them. */
    public static final String NOT_HERE = "not on this machine: ";

    private final String title;
    private final String needs;
    private final String howToEnable;
    private final boolean installedByCi;
    private final Supplier<Optional<String>> locator;

    Prerequisite(
            String title, String needs, String howToEnable, boolean installedByCi, Supplier<Optional<String>> locator) {
        this.title = title;
        this.needs = needs;
        this.howToEnable = howToEnable;
        this.installedByCi = installedByCi;
        this.locator = locator;
    }

    /** Where it is (a path, or a short description), or empty when it is missing or hidden. */
    public Optional<String> locate() {
        if (hidden()) return Optional.empty();
        return locator.get();
    }

    public boolean isMet() {
        return locate().isPresent();
    }

    /**
     * Where it is; when it is missing, skips the calling test (an assumption) with the reason, or
     * under {@code CI=true} fails it, for prerequisites that {@code .ci/run} installs.
     */
    public String require() {
        Optional<String> found = locate();
        if (found.isPresent()) return found.get();
        if (installedByCi && TestEnvironment.isCi()) throw new MissingPrerequisite(failureMessage());
        throw new TestAbortedException(skipReason());
    }

    /** Whether {@code .ci/run} installs it, so that under {@code CI=true} its absence is a failure. */
    public boolean installedByCi() {
        return installedByCi;
    }

    /** "missing prerequisite: no Xvfb: … To run these tests: …". */
    public String skipReason() {
        return (installedByCi ? MARKER : NOT_HERE) + "no " + title + (hidden() ? " (hidden by solo.test.without)" : "")
                + ": " + needs + ". To run them: " + howToEnable + (installedByCi ? " (.ci/run does)." : ".");
    }

    String failureMessage() {
        return "CI=true but there is no " + title + ": " + needs + ". .ci/run installs it; install it with: "
                + howToEnable + ". (Outside CI such tests are skipped with this reason.)";
    }

    private boolean hidden() {
        String without = System.getProperty("solo.test.without", System.getenv("SOLO_TEST_WITHOUT"));
        if (without == null || without.isBlank()) return false;
        Set<String> names = Arrays.stream(without.split("[,\\s]+"))
                .map(s -> s.trim().toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        return names.contains("all") || names.contains(id());
    }

    /** The name used by {@code solo.test.without}: {@code xvfb}, {@code chromium}, {@code claude_code} … */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
