package dev.solo.cli.monitor;

import picocli.CommandLine.Option;

/** {@code --port N | --name NAME}, shared by the subcommands that address one monitor. */
final class TargetOptions {
    @Option(names = "--port", paramLabel = "N", description = "The monitor on this port (default 8765).")
    Integer port;

    @Option(names = "--name", paramLabel = "NAME", description = "The named monitor.")
    String name;

    Target target() {
        return Target.of(port, name);
    }
}
