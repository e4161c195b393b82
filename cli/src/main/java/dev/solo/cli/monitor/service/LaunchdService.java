package dev.solo.cli.monitor.service;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * macOS (written, untested on macOS): the launchd agent of {@link LaunchdAgent} in {@code
 * ~/Library/LaunchAgents}, driven with {@code launchctl}. A loaded agent holds the port ({@code
 * Sockets}) and starts the monitor on the first connection, so stopping the monitor means unloading the
 * agent ({@code unload} without {@code -w}: it loads again at the next login); {@code uninstall} unloads
 * it with {@code -w} and removes the plist.
 */
final class LaunchdService implements ServiceManager {
    private final ServiceSpec spec;
    private final Path plist;
    private final String label;

    LaunchdService(ServiceSpec spec, Path dir) {
        this.spec = spec;
        this.label = LaunchdAgent.label(spec.port());
        this.plist = dir.resolve(label + ".plist");
    }

    @Override
    public String describe() {
        return "the launchd agent " + label + " (" + plist + ")";
    }

    @Override
    public boolean installed() {
        return Files.exists(plist);
    }

    @Override
    public boolean active() {
        return installed()
                && SystemCommand.run(List.of("launchctl", "list", label)).ok();
    }

    @Override
    public int install(boolean enable, PrintWriter out, PrintWriter err) throws IOException {
        Files.createDirectories(plist.getParent());
        Files.createDirectories(spec.log().getParent());
        Files.writeString(
                plist,
                LaunchdAgent.plist(spec.port(), spec.command(), spec.environment(), spec.log()),
                StandardCharsets.UTF_8);
        out.println("Wrote " + plist + " (launchd support is untested; see docs/monitor.md).");
        if (!enable) {
            out.println("Load it with: launchctl load -w " + plist);
            return 0;
        }
        return SystemCommand.step(
                        List.of("launchctl", "load", "-w", plist.toString()),
                        "The plist is written; load it yourself with 'launchctl load -w " + plist + "'.",
                        out,
                        err)
                ? 0
                : 1;
    }

    @Override
    public int uninstall(boolean enable, PrintWriter out, PrintWriter err) throws IOException {
        if (enable && installed() && active()) {
            boolean ok = SystemCommand.step(
                    List.of("launchctl", "unload", "-w", plist.toString()),
                    "Nothing was removed. Unload it with 'launchctl unload -w " + plist + "', then run this again.",
                    out,
                    err);
            if (!ok) return 1;
        }
        out.println(Files.deleteIfExists(plist) ? "Removed " + plist + "." : "No " + plist + "; nothing removed.");
        return 0;
    }

    @Override
    public int status(PrintWriter out, PrintWriter err) {
        if (!installed()) {
            out.println("No agent for port " + spec.port() + " (" + plist + " does not exist). Run 'solo monitor"
                    + " service install --port " + spec.port() + "'.");
            return 3;
        }
        out.println("Agent: " + plist + (active() ? ", loaded (launchctl list " + label + ")." : ", not loaded."));
        return 0;
    }

    @Override
    public int stop(PrintWriter out, PrintWriter err) {
        boolean ok = SystemCommand.step(
                List.of("launchctl", "unload", plist.toString()),
                "Unload it with 'launchctl unload " + plist + "'.",
                out,
                err);
        if (!ok) return 1;
        out.println("Unloaded " + describe() + ": nothing listens on port " + spec.port()
                + " now, and hooks do not start"
                + " the monitor. Start it again with 'launchctl load " + plist + "' (it also loads at your next login);"
                + " remove it for good with 'solo monitor service uninstall --port " + spec.port() + "'.");
        return 0;
    }

    @Override
    public int restart(PrintWriter out, PrintWriter err) {
        String next = "Restart it with 'launchctl unload " + plist + " && launchctl load " + plist + "'.";
        boolean ok = SystemCommand.step(List.of("launchctl", "unload", plist.toString()), next, out, err)
                && SystemCommand.step(List.of("launchctl", "load", plist.toString()), next, out, err);
        return ok ? 0 : 1;
    }
}
