package dev.solo.cli.monitor;

import dev.solo.core.Registry;
import dev.solo.core.RegistryException;
import dev.solo.monitor.hooks.HooksInstaller;
import dev.solo.monitor.hooks.InstallList;
import dev.solo.monitor.security.IngestKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code solo monitor token [--rotate | --rotate-ingest]}: print the per-user token, or replace a secret.
 *
 * <p>{@code --rotate} replaces the token: running monitors accept only the new one within a second and
 * every dashboard session ends. Hooks carry the ingest key, not the token, so they keep working;
 * installed hooks that still carry the old token are rewritten to carry the ingest key.
 *
 * <p>{@code --rotate-ingest} replaces the ingest key (what hooks carry) and rewrites every settings file
 * in the install list ({@link Installs#refresh}), each atomically, printing each file rewritten and each
 * it could not rewrite with why and the fix (exit 1 then). The curl hooks read the key file and follow
 * at once; a Claude Code session already running may keep the HTTP hooks it read at its start, so the
 * command says to restart those.
 */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        versionProvider = dev.solo.cli.Version.Provider.class,
        description = "Print the monitor token; --rotate makes a new one, --rotate-ingest a new hook key.")
final class TokenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true)
    Rotation rotation;

    static final class Rotation {
        @Option(
                names = "--rotate",
                description = "Replace the token; hooks that still carry the old one get the ingest key.")
        boolean token;

        @Option(
                names = "--rotate-ingest",
                description = "Replace the ingest key the hooks carry, and rewrite every settings file solo installed"
                        + " hooks into.")
        boolean ingest;
    }

    @Override
    public Integer call() throws IOException {
        Registry registry = Registry.forCurrentUser();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (rotation == null) {
            out.println(registry.token().value());
            return 0;
        }
        // Under the install list's lock, so no 'hooks install' writes a file between the rotation and the
        // rewrite of the listed files (it would write the old key).
        return InstallList.in(registry.home()).locked(() -> rotate(registry, out, err));
    }

    private int rotate(Registry registry, PrintWriter out, PrintWriter err) throws IOException {
        // The install list is read before anything is replaced: a list that cannot be read stops the
        // rotation with nothing changed, rather than leaving every installed hook on a key that is gone.
        List<InstallList.Install> installs = Installs.all(registry, System.getenv());
        if (rotation.ingest) return rotateIngest(registry, out, err);
        String old;
        try {
            old = registry.token().value();
        } catch (RegistryException untrusted) {
            old = null; // a token open to others is what a rotation is for; its hooks cannot be told
        }
        registry.rotateToken();
        out.println("Token rotated (" + registry.tokenFile() + "); dashboard sessions have ended, run 'solo"
                + " monitor open' to log in again.");
        if (old == null) return 0;
        IngestKey key = null;
        for (InstallList.Install i : installs) {
            try {
                if (!HooksInstaller.status(i.file(), null, old).token()) continue;
                if (key == null) key = IngestKey.loadOrCreate(registry.home());
                int n = HooksInstaller.reinstall(i.file(), key, 0, Installs.autostart(registry, i));
                out.println("Updated the hooks in " + i.file() + " (" + n
                        + " events): they carried the old token, now the ingest key.");
            } catch (IOException e) {
                err.println("Error: could not update the hooks in " + i.file() + ": " + e.getMessage());
                return 1;
            }
        }
        return 0;
    }

    private static int rotateIngest(Registry registry, PrintWriter out, PrintWriter err) throws IOException {
        IngestKey key = IngestKey.rotate(registry.home());
        if (Installs.all(registry, System.getenv()).isEmpty()) {
            out.println("Ingest key rotated (" + key.file() + "). No settings file has solo hooks yet: 'solo monitor"
                    + " hooks install' puts them in one, with this key.");
            return 0;
        }
        out.println("Ingest key rotated (" + key.file() + "). Rewriting every settings file with solo hooks:");
        int failed = Installs.refresh(registry, key, null, out, err);
        out.println("A Claude Code session that was already running may keep the hooks it read at its start:"
                + " restart it, so none of its events is refused.");
        return failed == 0 ? 0 : 1;
    }
}
