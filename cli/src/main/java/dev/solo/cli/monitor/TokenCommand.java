package dev.solo.cli.monitor;

import dev.solo.core.Registry;
import dev.solo.monitor.hooks.HooksInstaller;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code solo monitor token [--rotate]}: print the per-user token; {@code --rotate} replaces it (running
 * monitors accept the new one within a second) and rewrites installed hooks (user scope, and project
 * scope of the current directory).
 */
@Command(name = "token", description = "Print the monitor token; --rotate makes a new one and updates the hooks.")
final class TokenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--rotate", description = "Replace the token and rewrite installed hooks.")
    boolean rotate;

    @Override
    public Integer call() throws IOException {
        Registry registry = Registry.forCurrentUser();
        if (!rotate) {
            spec.commandLine().getOut().println(registry.token().value());
            return 0;
        }
        String token = registry.rotateToken().value();
        spec.commandLine().getOut().println("Token rotated (" + registry.tokenFile() + ").");
        for (String scope : new String[] {"user", "project"}) {
            Path file = HooksCommand.settingsFile(scope);
            try {
                if (HooksInstaller.rewriteToken(file, token) > 0) {
                    spec.commandLine().getOut().println("Updated the hooks in " + file + ".");
                }
            } catch (IOException e) {
                spec.commandLine()
                        .getErr()
                        .println("Error: could not update the hooks in " + file + ": " + e.getMessage());
                return 1;
            }
        }
        return 0;
    }
}
