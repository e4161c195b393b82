package dev.solo.cli.monitor;

import dev.solo.core.ServiceIdentity;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code solo monitor open}: open the running monitor in the browser, logged in by the token link. */
@Command(name = "open", description = "Open the running monitor in the browser.")
final class OpenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TargetOptions options;

    @Override
    public Integer call() {
        Target t = options.target();
        Optional<ServiceIdentity> found = t.app().find();
        if (found.isEmpty()) {
            spec.commandLine()
                    .getErr()
                    .println(
                            "Error: no solo monitor is running on " + t.describe() + ". Start it with 'solo monitor'.");
            return 1;
        }
        String url = Messages.url("localhost", found.get().port());
        spec.commandLine().getOut().println(Messages.opening(url));
        spec.commandLine().getOut().flush();
        if (!Browser.disabled())
            Browser.open(
                    url + "/?token=" + t.registry().token().value(),
                    spec.commandLine().getErr());
        return 0;
    }
}
