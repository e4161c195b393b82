package dev.solo.cli.monitor;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Opens the dashboard in the user's browser: {@code $BROWSER} when set (the first of its
 * colon-separated commands; {@code %s} stands for the URL, else the URL is appended), else the
 * desktop's own opener ({@code xdg-open}, {@code open}, {@code rundll32}). Where none can run (an SSH
 * session, no display, the opener missing or exiting non-zero) it prints a one-time login link, and
 * over SSH the {@code ssh -L} line to reach it. {@value #ENV_DISABLE}{@code =1} turns it off (tests).
 *
 * <p>The browser gets a one-time login code in the URL's fragment, never the token: the code works once,
 * for a minute, and (on Linux) only from a connection of this OS user, so reading it off the opener's
 * command line gives another user nothing.
 */
final class Browser {
    static final String ENV_DISABLE = "SOLO_NO_BROWSER";
    static final long OPENER_WAIT_MILLIS = 2_000;

    private Browser() {}

    static boolean disabled() {
        String v = System.getenv(ENV_DISABLE);
        return v != null && !v.isBlank() && !v.equals("0");
    }

    /**
     * Asks the monitor on {@code port} (found with a checked proof) for a login code and opens {@code
     * url/#login=<code>}, printing {@code openingLine} first. Where no browser can be opened (an SSH
     * session, no display, the opener missing or failing) it prints the one-time login link instead,
     * and over SSH the {@code ssh -L} line that makes it reachable from the user's own machine.
     *
     * @param socket the monitor's same-user socket when it was found there (the code is asked for there),
     *     else null
     * @param tryBrowser false: print the link without trying a browser ({@value #ENV_DISABLE} is set)
     * @return whether the user got something usable: a browser started, or a login link printed
     */
    static boolean openDashboard(
            String url,
            String openingLine,
            int port,
            Path socket,
            String token,
            boolean tryBrowser,
            PrintWriter out,
            PrintWriter err) {
        String code;
        try {
            code = MonitorHttp.loginCode(port, socket, token);
        } catch (IOException e) {
            err.println("Error: could not get a login link from the monitor on port " + port + " (" + e.getMessage()
                    + "). Run 'solo monitor open' again; if it keeps failing, 'solo monitor restart'.");
            return false;
        }
        String link = url + "/#login=" + code;
        Map<String, String> env = System.getenv();
        Optional<String> why = tryBrowser
                ? whyNoBrowser(env, System.getProperty("os.name", ""))
                : Optional.of(ENV_DISABLE + " is set");
        if (why.isEmpty()) {
            out.println(openingLine);
            out.flush();
            why = open(link);
            if (why.isEmpty()) return true;
        }
        printLink(link, port, why.get(), env, out);
        return true;
    }

    /** The login link for a user who has no browser here, and over SSH how to reach it. */
    static void printLink(String link, int port, String why, Map<String, String> env, PrintWriter out) {
        out.println("No browser could be opened here (" + why + "). Open this link to log in; it works once,"
                + " within 60 s ('solo monitor open' prints a new one):");
        out.println("  " + link);
        sshForward(port, env).ifPresent(ssh -> {
            out.println("It points to localhost of this machine. From your own machine, forward the port first"
                    + " (leave it running), then open the link there:");
            out.println("  " + ssh);
        });
        out.flush();
    }

    /**
     * {@code ssh -L P:localhost:P user@host [-p N]} from {@code SSH_CONNECTION} ("client-ip client-port
     * server-ip server-port"): the address this session reached, so it works from the client as typed.
     */
    static Optional<String> sshForward(int port, Map<String, String> env) {
        String conn = env.get("SSH_CONNECTION");
        if (conn == null || conn.isBlank()) return Optional.empty();
        String[] f = conn.trim().split("\\s+");
        if (f.length < 4) return Optional.empty();
        String host = f[2].contains(":") ? "[" + f[2] + "]" : f[2];
        String user = env.getOrDefault("USER", System.getProperty("user.name", ""));
        String sshPort = f[3].equals("22") ? "" : " -p " + f[3];
        return Optional.of(
                "ssh -N -L " + port + ":localhost:" + port + " " + (user.isBlank() ? "" : user + "@") + host + sshPort);
    }

    /**
     * Why no browser can be opened from here, or empty when one may be. {@code $BROWSER} is the user's
     * own choice and always tried; else an SSH session, or (not on macOS or Windows) no {@code DISPLAY}
     * and no {@code WAYLAND_DISPLAY}, rule the desktop opener out.
     */
    static Optional<String> whyNoBrowser(Map<String, String> env, String osName) {
        if (set(env.get("BROWSER"))) return Optional.empty();
        if (set(env.get("SSH_CONNECTION"))) return Optional.of("this is an SSH session");
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows") || os.startsWith("mac")) return Optional.empty();
        if (!set(env.get("DISPLAY")) && !set(env.get("WAYLAND_DISPLAY"))) {
            return Optional.of("no display: DISPLAY and WAYLAND_DISPLAY are unset");
        }
        return Optional.empty();
    }

    private static boolean set(String v) {
        return v != null && !v.isBlank();
    }

    /**
     * Starts the opener: empty when it started the browser, else why not (missing, or its exit code).
     * The desktop opener ({@code xdg-open} and its kind hand the URL over and exit) is given up to
     * {@value #OPENER_WAIT_MILLIS} ms to fail; {@code $BROWSER} is often the browser itself, which stays,
     * so only a failure to start it counts.
     */
    static Optional<String> open(String url) {
        String browser = System.getenv("BROWSER");
        List<String> cmd = command(url, browser);
        boolean windows =
                System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        Process p;
        try {
            p = new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.from(new File(windows ? "NUL" : "/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            return Optional.of(cmd.get(0) + " could not be started: " + e.getMessage());
        }
        try {
            if (set(browser)) return Optional.empty();
            if (!p.waitFor(OPENER_WAIT_MILLIS, TimeUnit.MILLISECONDS) || p.exitValue() == 0) return Optional.empty();
            return Optional.of(cmd.get(0) + " exited with " + p.exitValue());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
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
