package dev.solo.cli.monitor.service;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The service manager of this OS, as solo uses it for the monitor of one port: systemd user units
 * (Linux), a launchd agent (macOS), a Task Scheduler logon task (Windows). Each says what it did, and
 * on failure what failed (the unit, file or task named) and the command to run instead.
 *
 * <p>{@link #active()} asks the service manager, never the port: under socket activation a connection
 * to the port is what starts the monitor, so a probe would undo a stop.
 */
public interface ServiceManager {
    /** The units, agent or task, named as a user would look for them (for messages). */
    String describe();

    /** Whether solo's files for this port exist (the units, the plist, the task's XML). */
    boolean installed();

    /** Whether the manager holds the port or runs the monitor now. False when it cannot be asked. */
    boolean active();

    /** Writes the files; unless {@code enable} is false, registers and starts them. Exit code. */
    int install(boolean enable, PrintWriter out, PrintWriter err) throws IOException;

    /** Stops and unregisters (unless {@code enable} is false), then removes the files. Exit code. */
    int uninstall(boolean enable, PrintWriter out, PrintWriter err) throws IOException;

    /** Prints the files and the manager's view of them. 0 installed, 3 not installed, 1 manager unusable. */
    int status(PrintWriter out, PrintWriter err);

    /**
     * Stops the monitor under the manager and the socket that would start it again (the service stays
     * installed, and starts again at the next login); prints what it ran and how to start it again. Exit code.
     */
    int stop(PrintWriter out, PrintWriter err);

    /** Restarts the monitor under the manager (the socket, where there is one, keeps the port). Exit code. */
    int restart(PrintWriter out, PrintWriter err);

    /**
     * The manager for {@code osName} ({@code os.name}), or empty where solo has none. Its files go to
     * {@code $XDG_CONFIG_HOME/systemd/user} (else {@code ~/.config/systemd/user}), {@code
     * ~/Library/LaunchAgents}, or the state directory's {@code service/} (the task's XML; Task Scheduler
     * keeps its own copy).
     */
    static Optional<ServiceManager> forOs(String osName, ServiceSpec spec, Map<String, String> env, Path userHome) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("linux")) return Optional.of(new SystemdService(spec, SystemdService.unitDir(env, userHome)));
        if (os.startsWith("mac")) {
            return Optional.of(
                    new LaunchdService(spec, userHome.resolve("Library").resolve("LaunchAgents")));
        }
        if (os.startsWith("windows")) {
            String name = env.getOrDefault("USERNAME", System.getProperty("user.name"));
            String domain = env.get("USERDOMAIN");
            String user = domain == null || domain.isBlank() ? name : domain + "\\" + name;
            return Optional.of(new TaskSchedulerService(spec, spec.home().resolve("service"), user));
        }
        return Optional.empty();
    }
}
