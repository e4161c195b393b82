package dev.solo.cli.monitor.service;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Linux: the systemd user units of {@link SystemdUnits}, driven with {@code systemctl --user}. The socket
 * unit holds the port while the monitor is down and starts it on the first connection, so stopping the
 * monitor means stopping the socket too ({@link #stop}); {@code disable} is left to {@code uninstall}.
 */
final class SystemdService implements ServiceManager {
    private static final String LINGER =
            " (systemd: 'loginctl enable-linger $USER' keeps user units running" + " without a login session.)";

    private final ServiceSpec spec;
    private final Path dir;
    private final String name;

    SystemdService(ServiceSpec spec, Path dir) {
        this.spec = spec;
        this.dir = dir;
        this.name = SystemdUnits.name(spec.port());
    }

    /** {@code $XDG_CONFIG_HOME/systemd/user}, else {@code <user home>/.config/systemd/user}. */
    static Path unitDir(Map<String, String> env, Path userHome) {
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "systemd", "user");
        return userHome.resolve(".config").resolve("systemd").resolve("user");
    }

    Path socketFile() {
        return dir.resolve(name + ".socket");
    }

    Path serviceFile() {
        return dir.resolve(name + ".service");
    }

    @Override
    public String describe() {
        return "the systemd user units " + name + ".socket and " + name + ".service";
    }

    @Override
    public boolean installed() {
        return Files.exists(socketFile()) || Files.exists(serviceFile());
    }

    @Override
    public boolean active() {
        // is-active exits 0 when at least one of the units is active ("activating" and "reloading" too).
        return installed()
                && SystemCommand.run(systemctl("is-active", "--quiet", name + ".socket", name + ".service"))
                        .ok();
    }

    @Override
    public int install(boolean enable, PrintWriter out, PrintWriter err) throws IOException {
        Files.createDirectories(dir);
        Files.createDirectories(spec.log().getParent());
        Files.writeString(socketFile(), SystemdUnits.socket(spec.port()), StandardCharsets.UTF_8);
        Files.writeString(
                serviceFile(),
                SystemdUnits.service(spec.port(), spec.command(), spec.environment(), spec.log()),
                StandardCharsets.UTF_8);
        out.println("Wrote " + socketFile() + " and " + serviceFile() + ".");
        String start = "systemctl --user daemon-reload && systemctl --user enable --now " + name + ".socket";
        if (!enable) {
            out.println("Enable them with: " + start);
            return 0;
        }
        String next = "The unit files are written; run '" + start + "' once the user manager answers." + LINGER;
        boolean ok = SystemCommand.step(systemctl("daemon-reload"), next, out, err)
                && SystemCommand.step(systemctl("enable", "--now", name + ".socket"), next, out, err);
        if (ok)
            out.println("systemd now holds 127.0.0.1:" + spec.port() + " and starts the monitor on the first hook.");
        return ok ? 0 : 1;
    }

    @Override
    public int uninstall(boolean enable, PrintWriter out, PrintWriter err) throws IOException {
        boolean ok = true;
        if (enable && installed()) {
            String next = "Nothing was removed. Run 'systemctl --user disable --now " + name + ".socket && systemctl"
                    + " --user stop " + name + ".service' yourself, then this command again (or with --no-enable to"
                    + " only remove the files).";
            ok = SystemCommand.step(systemctl("disable", "--now", name + ".socket"), next, out, err)
                    && SystemCommand.step(systemctl("stop", name + ".service"), next, out, err);
            if (!ok) return 1;
        }
        boolean any = Files.deleteIfExists(socketFile()) | Files.deleteIfExists(serviceFile());
        out.println(
                any
                        ? "Removed " + socketFile() + " and " + serviceFile() + "."
                        : "No units for port " + spec.port() + " in " + dir + "; nothing removed.");
        if (enable && any) {
            SystemCommand.step(
                    systemctl("daemon-reload"), "Run 'systemctl --user daemon-reload' to forget them.", out, err);
        }
        return 0;
    }

    @Override
    public int status(PrintWriter out, PrintWriter err) {
        if (!installed()) {
            out.println("No service for port " + spec.port() + " (" + socketFile() + " does not exist). Run 'solo"
                    + " monitor service install --port " + spec.port() + "'.");
            return 3;
        }
        out.println("Units: " + socketFile() + ", " + serviceFile() + ".");
        SystemCommand.Result s = SystemCommand.run(systemctl("is-active", name + ".socket", name + ".service"));
        if (!s.text().strip().matches("[a-z-]+\\n[a-z-]+")) { // one state per unit, else an error
            err.println("Error: 'systemctl --user is-active " + name + ".socket " + name + ".service' did not answer: "
                    + s.text().strip() + ". The units are written; is a systemd user manager running for you"
                    + " (a login session, XDG_RUNTIME_DIR set)?" + LINGER);
            return 1;
        }
        out.println("systemctl --user is-active: " + s.text().strip().replace('\n', ' ')
                + " (socket, service; the service is 'inactive' until the first connection).");
        return 0;
    }

    @Override
    public int stop(PrintWriter out, PrintWriter err) {
        String next = "Stop them with 'systemctl --user stop " + name + ".socket " + name + ".service'.";
        if (!SystemCommand.step(systemctl("stop", name + ".socket", name + ".service"), next, out, err)) return 1;
        out.println("Stopped " + describe() + ": nothing listens on port " + spec.port()
                + " now, and hooks do not start"
                + " the monitor. Start it again with 'systemctl --user start " + name + ".socket' (it also starts at"
                + " your next login); remove the service for good with 'solo monitor service uninstall --port "
                + spec.port() + "'.");
        return 0;
    }

    @Override
    public int restart(PrintWriter out, PrintWriter err) {
        String next = "Restart it with 'systemctl --user restart " + name + ".service'.";
        boolean ok = SystemCommand.step(systemctl("start", name + ".socket"), next, out, err)
                && SystemCommand.step(systemctl("restart", name + ".service"), next, out, err);
        return ok ? 0 : 1;
    }

    private static List<String> systemctl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("systemctl", "--user"));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
