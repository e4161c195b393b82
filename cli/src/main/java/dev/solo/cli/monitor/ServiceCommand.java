package dev.solo.cli.monitor;

import dev.solo.cli.monitor.service.ServiceManager;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code solo monitor service install|uninstall|status [--port N] [--no-enable]}: a monitor that is
 * always there, run by the OS's service manager ({@link ServiceManager}) with the same JVM, options and
 * environment as the launcher's child ({@link ServiceProgram}). On Linux, systemd user units: the socket
 * unit holds the port between runs (nobody can squat it, hooks never meet a closed port) and starts the
 * monitor on the first connection; the service restarts it after a crash. On macOS a launchd agent that
 * does the same; on Windows a logon task (both written, untested there). {@code install} writes the
 * files and, unless {@code --no-enable}, registers and starts them, printing each step and, when the
 * manager fails, what failed and the command to run. {@code solo monitor stop} stops a monitor that runs
 * under the service for real (socket included); {@code uninstall} removes the service for good.
 *
 * <p>Exit codes: 0 done, 1 the service manager failed (named), 2 bad usage, 3 ({@code status}) not installed.
 */
@Command(
        name = "service",
        mixinStandardHelpOptions = true,
        versionProvider = dev.solo.cli.Version.Provider.class,
        description = "Keep the monitor's port held and the monitor started by the service manager (systemd,"
                + " launchd, Task Scheduler).")
final class ServiceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ACTION", description = "install, uninstall or status")
    String action;

    @Option(names = "--port", paramLabel = "N", description = "The monitor's port (default 8765).")
    Integer port;

    @Option(names = "--no-enable", description = "Only write (or remove) the files; run no service manager command.")
    boolean noEnable;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!action.equals("install") && !action.equals("uninstall") && !action.equals("status")) {
            err.println("Error: unknown action '" + action + "'; use install, uninstall or status.");
            return MonitorCommand.USAGE;
        }
        Target t;
        try {
            t = Target.of(port, null);
        } catch (IllegalArgumentException e) {
            err.println("Error: " + e.getMessage());
            return MonitorCommand.USAGE;
        }
        Optional<ServiceManager> found;
        try {
            found = ServiceProgram.manager(t);
        } catch (IllegalArgumentException e) {
            err.println("Error: " + e.getMessage());
            return 1;
        }
        if (found.isEmpty()) {
            err.println("Error: 'solo monitor service' knows systemd (Linux), launchd (macOS) and Task Scheduler"
                    + " (Windows), not " + System.getProperty("os.name") + ". Start the monitor with 'solo monitor"
                    + " --port " + t.port() + "' instead.");
            return 1;
        }
        ServiceManager manager = found.get();
        return switch (action) {
            case "install" -> install(t, manager, out, err);
            case "uninstall" -> manager.uninstall(!noEnable, out, err);
            default -> manager.status(out, err);
        };
    }

    private int install(Target t, ServiceManager manager, PrintWriter out, PrintWriter err) throws IOException {
        // Asking the port is safe only while the manager does not hold it: a probe would start the service.
        boolean active = manager.active();
        if (!noEnable && !active && t.app().find().isPresent()) {
            err.println("Error: a solo monitor already runs on port " + t.port() + " outside the service manager, so"
                    + " the service cannot take the port. Nothing was written. Run 'solo monitor stop --port "
                    + t.port()
                    + "', then this command again.");
            return 1;
        }
        try {
            StateDirs.ownerOnly(t.registry().home()); // the service appends to a log in logs/
            StateDirs.ownerOnlyFile(t.log()); // made here: the service manager would create it 0644
        } catch (IOException e) {
            err.println("Error: " + e.getMessage());
            return 1;
        }
        int code = manager.install(!noEnable, out, err);
        if (code == 0 && active) {
            out.println("The service was already running: its monitor keeps the command line it started with until"
                    + " 'solo monitor restart --port " + t.port() + "'.");
        }
        return code;
    }
}
