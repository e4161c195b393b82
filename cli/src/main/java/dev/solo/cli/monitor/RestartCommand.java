package dev.solo.cli.monitor;

import dev.solo.cli.monitor.service.ServiceManager;
import dev.solo.core.ServiceIdentity;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code solo monitor restart}: stop (if running), then start as {@code solo monitor} does. A monitor of
 * a fixed port that runs under the service solo installed is restarted by its service manager instead
 * (the socket keeps the port meanwhile), so it stays under the service.
 */
@Command(
        mixinStandardHelpOptions = true,
        versionProvider = dev.solo.cli.Version.Provider.class,
        name = "restart",
        description = "Stop the monitor and start it again; history is kept.")
final class RestartCommand implements Callable<Integer> {
    private static final long START_WAIT_SECONDS = 30;

    @Spec
    CommandSpec spec;

    @Mixin
    TargetOptions options;

    @Option(names = "--no-browser", description = "Do not open a browser.")
    boolean noBrowser;

    @Override
    public Integer call() throws IOException {
        Target t = options.target();
        Optional<ServiceManager> service = ServiceProgram.installed(t);
        if (service.isPresent() && service.get().active()) {
            return restartService(
                    t,
                    service.get(),
                    spec.commandLine().getOut(),
                    spec.commandLine().getErr());
        }
        int stopped = StopCommand.stop(
                t, spec.commandLine().getOut(), spec.commandLine().getErr());
        if (stopped != 0) return stopped;
        MonitorCommand start = new MonitorCommand();
        start.spec = spec;
        start.port = options.port;
        start.name = options.name;
        return start.start(
                t,
                "localhost",
                !noBrowser && !Browser.disabled(),
                spec.commandLine().getOut(),
                spec.commandLine().getErr());
    }

    /** Restarts under the service manager, then waits (at most 30 s) until the new monitor answers. */
    private static int restartService(Target t, ServiceManager service, PrintWriter out, PrintWriter err) {
        if (service.restart(out, err) != 0) return 1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_WAIT_SECONDS);
        long pause = 20;
        while (true) {
            Optional<ServiceIdentity> id = t.app().find();
            if (id.isPresent()) {
                out.println("Restarted " + service.describe() + ".");
                out.println(
                        Messages.running(id.get().port()) + " (pid " + id.get().pid() + ")");
                return 0;
            }
            if (System.nanoTime() - deadline > 0) {
                err.println("Error: " + service.describe() + " restarted, but no monitor answers on port " + t.port()
                        + " after " + START_WAIT_SECONDS + " s. See its log: " + t.log() + ".");
                return 1;
            }
            try {
                Thread.sleep(pause); // polling back-off while the JVM starts, not synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
            pause = Math.min(pause * 2, 200);
        }
    }
}
