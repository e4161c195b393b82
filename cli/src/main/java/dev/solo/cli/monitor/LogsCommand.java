package dev.solo.cli.monitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code solo monitor logs}: the last lines of the monitor's log file, and where it is. */
@Command(
        mixinStandardHelpOptions = true,
        versionProvider = dev.solo.cli.Version.Provider.class,
        name = "logs",
        description = "Show the end of the monitor's log file.")
final class LogsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TargetOptions options;

    @Option(
            names = {"-n", "--lines"},
            defaultValue = "50",
            description = "How many lines (default ${DEFAULT-VALUE}).")
    int lines;

    @Override
    public Integer call() throws IOException {
        Target t = options.target();
        Path log = t.log();
        if (!Files.exists(log)) {
            spec.commandLine()
                    .getErr()
                    .println("Error: no log at " + log + " yet; the monitor on " + t.describe()
                            + " was never started in the background.");
            return 1;
        }
        List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
        spec.commandLine().getOut().println("==> " + log + " <==");
        for (String l : all.subList(Math.max(0, all.size() - Math.max(0, lines)), all.size())) {
            spec.commandLine().getOut().println(l);
        }
        return 0;
    }
}
