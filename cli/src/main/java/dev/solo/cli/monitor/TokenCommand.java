package dev.solo.cli.monitor;

import dev.solo.core.Registry;
import dev.solo.core.RegistryException;
import dev.solo.monitor.hooks.HooksInstaller;
import dev.solo.monitor.security.IngestKey;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code solo monitor token [--rotate]}: print the per-user token; {@code --rotate} replaces it. Running
 * monitors accept only the new one within a second, and every dashboard session ends. Hooks carry the
 * ingest key, not the token, so they keep working; installed hooks that still carry the old token
 * (user scope, and project scope of the current directory) are rewritten to carry the ingest key.
 */
@Command(name = "token", description = "Print the monitor token; --rotate makes a new one.")
final class TokenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--rotate",
            description = "Replace the token; hooks that still carry the old one get the ingest key.")
    boolean rotate;

    @Override
    public Integer call() throws IOException {
        Registry registry = Registry.forCurrentUser();
        if (!rotate) {
            spec.commandLine().getOut().println(registry.token().value());
            return 0;
        }
        String old;
        try {
            old = registry.token().value();
        } catch (RegistryException untrusted) {
            old = null; // a token open to others is what a rotation is for; its hooks cannot be told
        }
        registry.rotateToken();
        spec.commandLine()
                .getOut()
                .println("Token rotated (" + registry.tokenFile() + "); dashboard sessions have ended, run 'solo"
                        + " monitor open' to log in again.");
        for (String scope : new String[] {"user", "project"}) {
            Path file = ClaudeSettings.of(scope, System.getenv());
            try {
                if (old == null || !HooksInstaller.status(file, null, old).token()) continue;
                int n = HooksInstaller.reinstall(file, IngestKey.loadOrCreate(registry.home()));
                spec.commandLine()
                        .getOut()
                        .println("Updated the hooks in " + file + " (" + n
                                + " events): they carried the old token, now the ingest key.");
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
