package dev.solo.cli.monitor;

import dev.solo.cli.UsageException;
import picocli.CommandLine.Option;

/** {@code --port N | --name NAME}, shared by the subcommands that address one monitor. */
final class TargetOptions {
    @Option(names = "--port", paramLabel = "N", description = "The monitor on this port (default 8765).")
    Integer port;

    @Option(names = "--name", paramLabel = "NAME", description = "The named monitor.")
    String name;

    /**
     * The monitor these options name; bad values are a {@link UsageException} (exit 2). A state directory
     * that cannot be written or a token file that cannot be trusted is reported here, before anything is
     * done, as one line ({@link dev.solo.core.RegistryException}, exit 1).
     */
    Target target() {
        Target t;
        try {
            t = Target.of(port, name);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        t.registry().token();
        return t;
    }
}
