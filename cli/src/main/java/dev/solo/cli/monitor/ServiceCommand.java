package dev.solo.cli.monitor;

import dev.solo.cli.monitor.service.LaunchdAgent;
import dev.solo.cli.monitor.service.SystemdUnits;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code solo monitor service install|uninstall|status [--port N] [--no-enable]}: a monitor that is
 * always there. On Linux, systemd user units ({@link SystemdUnits}): the socket unit holds the port
 * between runs (nobody can squat it, hooks never meet a closed port) and starts the monitor on the
 * first connection; the service restarts it after a crash. {@code install} writes them to {@code
 * $XDG_CONFIG_HOME/systemd/user} (else {@code ~/.config/systemd/user}) and, unless {@code --no-enable},
 * runs {@code systemctl --user daemon-reload} and {@code enable --now} the socket, printing each step
 * and, when systemctl fails, the commands to run. On macOS a launchd agent ({@link LaunchdAgent}, written
 * and untested); Windows: the logon task in docs/monitor.md.
 */
@Command(
        name = "service",
        mixinStandardHelpOptions = true,
        versionProvider = dev.solo.cli.Version.Provider.class,
        description = "Keep the monitor's port held and the monitor started by the service manager (systemd).")
final class ServiceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ACTION", description = "install, uninstall or status")
    String action;

    @Option(names = "--port", paramLabel = "N", description = "The monitor's port (default 8765).")
    Integer port;

    @Option(names = "--no-enable", description = "Only write (or remove) the unit files; run no systemctl.")
    boolean noEnable;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Target t;
        try {
            t = Target.of(port, null);
        } catch (IllegalArgumentException e) {
            err.println("Error: " + e.getMessage());
            return MonitorCommand.USAGE;
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.startsWith("mac")) return launchd(t, out, err);
        if (!os.startsWith("linux")) {
            err.println("Error: 'solo monitor service' writes systemd units (Linux) or a launchd agent (macOS). On"
                    + " Windows see docs/monitor.md, 'Always there', for the logon task.");
            return 1;
        }
        Path dir = unitDir(System.getenv());
        String name = SystemdUnits.name(t.port());
        Path socket = dir.resolve(name + ".socket");
        Path service = dir.resolve(name + ".service");
        switch (action) {
            case "install" -> {
                Files.createDirectories(dir);
                Files.createDirectories(t.log().getParent());
                Files.writeString(socket, SystemdUnits.socket(t.port()), StandardCharsets.UTF_8);
                Files.writeString(
                        service,
                        SystemdUnits.service(
                                t.port(), Launcher.javaCommand(), t.registry().home(), t.log()),
                        StandardCharsets.UTF_8);
                out.println("Wrote " + socket + " and " + service + ".");
                if (noEnable) {
                    out.println("Enable them with: systemctl --user daemon-reload && systemctl --user enable --now "
                            + name + ".socket");
                    return 0;
                }
                if (t.app().find().isPresent()) {
                    err.println("Error: a monitor already runs on port " + t.port() + " outside systemd, so the socket"
                            + " unit cannot take the port. Run 'solo monitor stop --port " + t.port() + "', then"
                            + " 'systemctl --user enable --now " + name + ".socket'.");
                    return 1;
                }
                return systemctl(out, err, List.of("daemon-reload"), List.of("enable", "--now", name + ".socket"));
            }
            case "uninstall" -> {
                int code = noEnable
                        ? 0
                        : systemctl(
                                out,
                                err,
                                List.of("disable", "--now", name + ".socket"),
                                List.of("stop", name + ".service"));
                boolean any = Files.deleteIfExists(socket) | Files.deleteIfExists(service);
                out.println(
                        any
                                ? "Removed " + socket + " and " + service + "."
                                : "No units for port " + t.port() + " in " + dir + "; nothing removed.");
                if (!noEnable) systemctl(out, err, List.of("daemon-reload"));
                return code;
            }
            case "status" -> {
                if (!Files.exists(socket)) {
                    out.println("No service for port " + t.port() + " (" + socket + " does not exist). Run 'solo"
                            + " monitor service install" + (t.explicit() ? " --port " + t.port() : "") + "'.");
                    return 3;
                }
                out.println("Units: " + socket + ", " + service + ".");
                Run s = run(List.of("systemctl", "--user", "is-active", name + ".socket", name + ".service"));
                out.println("systemctl --user is-active: " + s.text().strip().replace('\n', ' ')
                        + " (socket, service; the service is 'inactive' until the first connection).");
                return s.code() == -1 ? 1 : 0;
            }
            default -> {
                err.println("Error: unknown action '" + action + "'; use install, uninstall or status.");
                return MonitorCommand.USAGE;
            }
        }
    }

    /**
     * macOS, written and untested: {@code ~/Library/LaunchAgents/dev.solo.monitor.<port>.plist}
     * ({@link LaunchdAgent}), loaded with {@code launchctl load -w} unless {@code --no-enable}.
     */
    private int launchd(Target t, PrintWriter out, PrintWriter err) throws IOException {
        Path plist = Path.of(System.getProperty("user.home"), "Library", "LaunchAgents")
                .resolve(LaunchdAgent.label(t.port()) + ".plist");
        switch (action) {
            case "install" -> {
                Files.createDirectories(plist.getParent());
                Files.createDirectories(t.log().getParent());
                Files.writeString(
                        plist,
                        LaunchdAgent.plist(
                                t.port(), Launcher.javaCommand(), t.registry().home(), t.log()),
                        StandardCharsets.UTF_8);
                out.println("Wrote " + plist + " (launchd support is untested; see docs/monitor.md).");
                if (noEnable) return 0;
                return command(out, err, List.of("launchctl", "load", "-w", plist.toString()));
            }
            case "uninstall" -> {
                int code = noEnable ? 0 : command(out, err, List.of("launchctl", "unload", "-w", plist.toString()));
                out.println(
                        Files.deleteIfExists(plist) ? "Removed " + plist + "." : "No " + plist + "; nothing removed.");
                return code;
            }
            case "status" -> {
                out.println(Files.exists(plist) ? "Agent: " + plist + "." : "No agent (" + plist + " does not exist).");
                return Files.exists(plist) ? 0 : 3;
            }
            default -> {
                err.println("Error: unknown action '" + action + "'; use install, uninstall or status.");
                return MonitorCommand.USAGE;
            }
        }
    }

    /** {@code $XDG_CONFIG_HOME/systemd/user}, else {@code $HOME/.config/systemd/user}. */
    static Path unitDir(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "systemd", "user");
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".config", "systemd", "user");
    }

    /** Runs {@code systemctl --user} with each argument list in turn; stops at the first failure, naming it. */
    @SafeVarargs
    private static int systemctl(PrintWriter out, PrintWriter err, List<String>... steps) {
        for (List<String> step : steps) {
            List<String> cmd = new ArrayList<>(List.of("systemctl", "--user"));
            cmd.addAll(step);
            if (command(out, err, cmd) != 0) return 1;
        }
        return 0;
    }

    /** Runs {@code cmd}, printing it; on failure says what failed and that the files are written. */
    private static int command(PrintWriter out, PrintWriter err, List<String> cmd) {
        Run r = run(cmd);
        if (r.code() != 0) {
            err.println("Error: '" + String.join(" ", cmd) + "' "
                    + (r.code() == -1 ? "could not run" : "exited with " + r.code()) + ": "
                    + r.text().strip() + ". The files are written; run it yourself once the service manager"
                    + " is available (systemd: loginctl enable-linger $USER keeps user units running without a"
                    + " login).");
            return 1;
        }
        out.println("Ran: " + String.join(" ", cmd));
        return 0;
    }

    record Run(int code, String text) {}

    private static Run run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Run(-1, "no answer within 30 s");
            }
            return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Run(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Run(-1, "interrupted");
        }
    }
}
