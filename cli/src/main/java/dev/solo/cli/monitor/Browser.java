package dev.solo.cli.monitor;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * Opens a URL in the user's browser with the desktop's own opener ({@code xdg-open}, {@code open},
 * {@code rundll32}). Never fails the command: with no browser it says how to open the page by hand.
 * {@value #ENV_DISABLE}{@code =1} turns it off (tests, headless machines).
 */
final class Browser {
    static final String ENV_DISABLE = "SOLO_NO_BROWSER";

    private Browser() {}

    static boolean disabled() {
        String v = System.getenv(ENV_DISABLE);
        return v != null && !v.isBlank() && !v.equals("0");
    }

    /** Starts the opener without waiting for it; reports to {@code err} when there is none. */
    static void open(String url, PrintWriter err) {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        List<String> cmd;
        if (os.startsWith("windows")) cmd = List.of("rundll32", "url.dll,FileProtocolHandler", url);
        else if (os.startsWith("mac")) cmd = List.of("open", url);
        else cmd = List.of("xdg-open", url);
        try {
            new ProcessBuilder(cmd)
                    .redirectInput(
                            ProcessBuilder.Redirect.from(new File(os.startsWith("windows") ? "NUL" : "/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            err.println("Could not start a browser (" + cmd.get(0) + ": " + e.getMessage() + "). Open " + url
                    + " yourself.");
        }
    }
}
