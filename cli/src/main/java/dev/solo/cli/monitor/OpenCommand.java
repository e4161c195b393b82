package dev.solo.cli.monitor;

import dev.solo.core.ClaimResult;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code solo monitor open}: open the running monitor in the browser with a fresh one-time login code
 * (never the token); where no browser can be opened (SSH, no display, {@code SOLO_NO_BROWSER}) print the
 * login link, and over SSH the {@code ssh -L} line. Only a monitor that proved itself is asked for the
 * code; anything else on the port is named and gets nothing. Exit 0 when the user got a browser or a
 * link, 1 otherwise.
 */
@Command(
        mixinStandardHelpOptions = true,
        versionProvider = dev.solo.cli.Version.Provider.class,
        name = "open",
        description = "Open the running monitor in the browser, logged in.")
final class OpenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TargetOptions options;

    @Override
    public Integer call() {
        Target t = options.target();
        String token = t.registry().token().value();
        Optional<LocalMonitor.Found> local = LocalMonitor.status(t, token); // the same-user socket first
        if (local.isPresent())
            return open(local.get().identity().port(), local.get().socket(), token);
        Optional<ClaimResult> holder = t.app().inspect();
        if (holder.isEmpty()) {
            spec.commandLine()
                    .getErr()
                    .println("Error: no solo monitor is running on " + t.describe() + ". Start it with '"
                            + t.startCommand() + "'.");
            return 1;
        }
        if (!(holder.get() instanceof ClaimResult.Running running)) {
            spec.commandLine().getErr().println("Error: " + Holder.describe(holder.get()));
            return 1;
        }
        return open(running.identity().port(), null, token);
    }

    private int open(int port, Path socket, String token) {
        String url = Messages.url("localhost", port);
        boolean usable = Browser.openDashboard(
                url,
                Messages.opening(url),
                port,
                socket,
                token,
                !Browser.disabled(),
                spec.commandLine().getOut(),
                spec.commandLine().getErr());
        return usable ? 0 : 1;
    }
}
