package dev.solo.cli.monitor;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Opens the dashboard in the user's browser: {@code $BROWSER} when set (the first of its
 * colon-separated commands; {@code %s} stands for the URL, else the URL is appended), else the
 * desktop's own opener ({@code xdg-open}, {@code open}, {@code rundll32}). Never fails the command:
 * with no browser it says how to open the page by hand. {@value #ENV_DISABLE}{@code =1} turns it off
 * (tests, headless machines).
 *
 * <p>The browser gets a one-time login code in the URL's fragment, never the token: the code works once,
 * for a minute, and (on Linux) only from a connection of this OS user, so reading it off the opener's
 * command line gives another user nothing.
 */
final class Browser {
    static final String ENV_DISABLE = "SOLO_NO_BROWSER";

    private Browser() {}

    static boolean disabled() {
        String v = System.getenv(ENV_DISABLE);
        return v != null && !v.isBlank() && !v.equals("0");
    }

    /**
     * Asks the monitor on {@code port} (found with a checked proof) for a login code and opens {@code
     * url/#login=<code>}. Without a code the page opens all the same and says how to get in.
     */
    static void openDashboard(String url, int port, String token, PrintWriter err) {
        String code;
        try {
            code = MonitorHttp.loginCode(port, token);
        } catch (IOException e) {
            err.println("Could not get a login link from the monitor on port " + port + " (" + e.getMessage()
                    + "); the page will ask you to run 'solo monitor open' again.");
            open(url + "/", err);
            return;
        }
        open(url + "/#login=" + code, err);
    }

    /** Starts the opener without waiting for it; reports to {@code err} when there is none. */
    static void open(String url, PrintWriter err) {
        List<String> cmd = command(url, System.getenv("BROWSER"));
        boolean windows =
                System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        try {
            new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.from(new File(windows ? "NUL" : "/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            err.println("Could not start a browser (" + cmd.get(0) + ": " + e.getMessage()
                    + "). Run 'solo monitor open' where a browser can start, or set BROWSER.");
        }
    }

    /** The opener's command line for {@code url}: {@code $BROWSER}'s first command, or the platform's. */
    static List<String> command(String url, String browserEnv) {
        if (browserEnv != null && !browserEnv.isBlank()) {
            String first = browserEnv.split(":", -1)[0].strip();
            if (!first.isEmpty()) {
                List<String> cmd = new ArrayList<>();
                boolean placed = false;
                for (String part : first.split("\\s+")) {
                    if (part.contains("%s")) {
                        cmd.add(part.replace("%s", url));
                        placed = true;
                    } else {
                        cmd.add(part);
                    }
                }
                if (!placed) cmd.add(url);
                return cmd;
            }
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) return Arrays.asList("rundll32", "url.dll,FileProtocolHandler", url);
        if (os.startsWith("mac")) return List.of("open", url);
        return List.of("xdg-open", url);
    }
}
