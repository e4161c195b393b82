package dev.solo.cli.monitor;

import dev.solo.core.ClaimResult;
import dev.solo.core.Registry;
import dev.solo.monitor.hooks.HookEvents;
import dev.solo.monitor.hooks.HooksInstaller;
import dev.solo.monitor.hooks.InstallList;
import dev.solo.monitor.security.IngestKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code solo monitor hooks install|uninstall|status|refresh [--scope user|project]}: the Claude Code
 * hooks that feed the monitor. They carry the per-user ingest key (which can only append events), never
 * the token. User scope writes where Claude Code reads ({@link ClaudeSettings}); project scope writes
 * {@code .claude/settings.local.json} of the current directory (personal, not committed). Every file
 * written is remembered ({@link InstallList}): {@code status} and {@code refresh} act on all of them.
 *
 * <p>{@code install} where no monitor answers still installs (a monitor started later, or by the
 * service, receives the events) but warns on stderr with the command that starts one.
 */
@Command(
        mixinStandardHelpOptions = true,
        versionProvider = dev.solo.cli.Version.Provider.class,
        name = "hooks",
        description = "Install, remove or show the Claude Code hooks that feed the monitor.")
final class HooksCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "ACTION",
            description = "install, uninstall, status (every file solo installed into) or refresh (rewrite them all"
                    + " with the current ingest key and port)")
    String action;

    @Option(
            names = "--scope",
            defaultValue = "user",
            description = "user ($CLAUDE_CONFIG_DIR/settings.json or ~/.claude/settings.json) or project"
                    + " (.claude/settings.local.json); default ${DEFAULT-VALUE}.")
    String scope;

    @Mixin
    TargetOptions options;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path file;
        Target t = options.target();
        try {
            file = ClaudeSettings.of(scope, System.getenv());
        } catch (IllegalArgumentException e) {
            err.println("Error: " + e.getMessage());
            return MonitorCommand.USAGE;
        }
        Registry registry = t.registry();
        try {
            switch (action) {
                case "install" -> {
                    return install(t, file, out, err);
                }
                case "uninstall" -> {
                    return uninstall(registry, file, out);
                }
                case "status" -> {
                    Path keyFile = IngestKey.fileIn(registry.home());
                    IngestKey key = Files.exists(keyFile) ? IngestKey.loadOrCreate(registry.home()) : null;
                    return Installs.status(registry, key, out);
                }
                case "refresh" -> {
                    int failed = InstallList.in(registry.home()).locked(() -> {
                        IngestKey key = IngestKey.loadOrCreate(registry.home());
                        return Installs.refresh(registry, key, null, out, err);
                    });
                    return failed == 0 ? 0 : 1;
                }
                default -> {
                    err.println("Error: unknown action '" + action + "'; use install, uninstall, status or refresh.");
                    return MonitorCommand.USAGE;
                }
            }
        } catch (IOException e) {
            err.println("Error: " + e.getMessage());
            return 1;
        }
    }

    /**
     * Takes our hooks out of {@code file} and it off the list; a file that stays gets back the mode it had
     * before install made it owner-only (0644 when install created it), unless it still holds a key of ours.
     */
    private static int uninstall(Registry registry, Path file, PrintWriter out) throws IOException {
        InstallList list = InstallList.in(registry.home());
        Uninstalled u = list.locked(() -> {
            Optional<InstallList.Install> entry = list.find(file);
            boolean created = entry.map(InstallList.Install::created).orElse(false);
            String mode = entry.map(InstallList.Install::mode).orElse(created ? FileModes.CREATED : null);
            int removed = HooksInstaller.uninstall(file, created, mode, FileModes.secrets(registry));
            list.remove(file);
            return new Uninstalled(removed, mode);
        });
        int n = u.events();
        String modeAfter = u.modeAfter();
        if (n == 0) {
            out.println("No solo monitor hooks in " + file + "; nothing changed.");
        } else if (!Files.exists(file)) {
            out.println("Removed solo monitor hooks from " + n + " events in " + file + "; solo had created the file"
                    + " and nothing else was in it, so it is gone.");
        } else {
            out.println("Removed solo monitor hooks from " + n + " events in " + file + "; other hooks and settings"
                    + " kept" + FileModes.describe(file, modeAfter) + ".");
        }
        return 0;
    }

    /** What uninstall did: how many events had our hook, and the mode a file that stays was given (null: none). */
    private record Uninstalled(int events, String modeAfter) {}

    private int install(Target t, Path file, PrintWriter out, PrintWriter err) throws IOException {
        int port =
                t.port() != 0 ? t.port() : t.app().find().map(id -> id.port()).orElse(0);
        if (port == 0) {
            err.println("Error: the named monitor '" + t.name() + "' has never run, so it has no port yet."
                    + " Start it first with 'solo monitor --name " + t.name() + "'; it keeps that port from then on.");
            return 1;
        }
        // Who holds the port, before anything is written: hooks that post to another program or another
        // user's monitor would hand it every event of the user's sessions, and the ingest key.
        Optional<ClaimResult> holder = t.app().inspect();
        if (holder.isPresent()
                && (holder.get() instanceof ClaimResult.ForeignService
                        || holder.get() instanceof ClaimResult.OtherUser)) {
            err.println("Error: " + Holder.describe(holder.get()) + " Hooks posting there would hand it the events of"
                    + " your Claude Code sessions and the ingest key, so none were installed in " + file + ".");
            return 1;
        }
        Optional<String> version = claudeVersion();
        List<String> events = HookEvents.forVersion(version);
        InstallList list = InstallList.in(t.registry().home());
        // The key is read, the list changed and the file written in one locked step: a rotation in between
        // would rewrite the listed files with the new key, and this one would then write the old one.
        IngestKey key = list.locked(() -> write(t, file, list, events, port));
        out.println("Installed solo monitor hooks for " + events.size() + " events in " + file + " (port " + port
                + "). They carry the ingest key from " + key.file() + ", which can only add events.");
        out.println(version.map(v -> "Event set for Claude Code " + v.strip() + ".")
                .orElse("No 'claude' on PATH: used the event set documented for Claude Code 2.1.x."));
        if (holder.isPresent() && !(holder.get() instanceof ClaimResult.Running)) {
            err.println("Warning: " + Holder.describe(holder.get()));
        } else if (holder.isEmpty()) {
            String start = t.startCommand();
            err.println("Warning: no solo monitor answers on port " + port + " now. Until one runs there, Claude Code"
                    + " drops these hooks' events (it only logs the failed hook). Start it with '" + start + "'.");
        }
        return 0;
    }

    /** Lists {@code file} and writes the hooks into it with the current key (which it returns); under the list's lock. */
    private IngestKey write(Target t, Path file, InstallList list, List<String> events, int port) throws IOException {
        IngestKey key = IngestKey.loadOrCreate(t.registry().home());
        Optional<InstallList.Install> before = list.find(file.toAbsolutePath());
        boolean exists = Files.exists(file);
        boolean created = !exists || before.map(InstallList.Install::created).orElse(false);
        // the mode before solo first made it owner-only, which uninstall gives back
        String mode = !exists ? null : before.isPresent() ? before.get().mode() : FileModes.of(file);
        InstallList.Install entry =
                new InstallList.Install(file.toAbsolutePath(), scope, port, t.name(), created, mode);
        String autostart = Installs.autostart(t.registry(), entry);
        // Listed first: hooks that no list names would miss every rotation. When the file cannot be written, the
        // list gets back what it said before.
        list.put(entry);
        try {
            HooksInstaller.install(file, events, port, key, autostart);
        } catch (IOException | RuntimeException e) {
            if (before.isPresent()) list.put(before.get());
            else list.remove(entry.file());
            throw e;
        }
        return key;
    }

    /** The output of {@code claude --version}, or empty when there is no claude (or it does not answer). */
    static Optional<String> claudeVersion() {
        try {
            Process p = new ProcessBuilder("claude", "--version")
                    .redirectErrorStream(true)
                    .start();
            p.getOutputStream().close();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.exitValue() == 0 && !text.isBlank() ? Optional.of(text) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
