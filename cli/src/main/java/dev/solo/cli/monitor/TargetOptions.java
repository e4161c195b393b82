package dev.solo.cli.monitor;

import dev.solo.cli.UsageException;
import picocli.CommandLine.Option;

/** {@code --port N | --name NAME}, shared by the subcommands that address one monitor. */
final class TargetOptions {
    @Option(names = "--port", paramLabel = "N", description = "The monitor on this port (default 8765).")
    Integer port;

    @Option(names = "--name", paramLabel = "NAME", description = "The named monitor.")
    String name;

    /** The monitor these options name; bad values are a {@link UsageException} (exit 2). */
    Target target() {
        try {
            return Target.of(port, name);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
