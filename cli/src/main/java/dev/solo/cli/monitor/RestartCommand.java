package dev.solo.cli.monitor;

import dev.solo.cli.monitor.service.ServiceManager;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Callable;
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
    @Spec
    CommandSpec spec;

    @Mixin
    TargetOptions options;

    @Option(names = "--no-browser", description = "Do not open a browser.")
    boolean noBrowser;

    @Override
    public Integer call() throws IOException {
        Target t = options.target();
        Optional<ServiceManager> service = t.named() ? Optional.empty() : ServiceProgram.manager(t);
        if (service.isPresent() && service.get().active()) {
            int code = service.get()
                    .restart(spec.commandLine().getOut(), spec.commandLine().getErr());
            if (code == 0) {
                spec.commandLine().getOut().println("Restarted " + service.get().describe() + ".");
            }
            return code;
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
}
