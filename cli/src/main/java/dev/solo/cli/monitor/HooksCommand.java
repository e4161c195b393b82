package dev.solo.cli.monitor;

import dev.solo.monitor.hooks.HookEvents;
import dev.solo.monitor.hooks.HooksInstaller;
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
 * {@code solo monitor hooks install|uninstall|status [--scope user|project]}: the Claude Code hooks
 * that feed the monitor. They carry the per-user ingest key (which can only append events), never the
 * token. User scope writes where Claude Code reads ({@link ClaudeSettings}); project scope writes
 * {@code .claude/settings.local.json} of the current directory (personal, not committed).
 */
@Command(name = "hooks", description = "Install, remove or show the Claude Code hooks that feed the monitor.")
final class HooksCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ACTION", description = "install, uninstall or status")
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
        try {
            switch (action) {
                case "install" -> {
                    return install(t, file, out, err);
                }
                case "uninstall" -> {
                    int n = HooksInstaller.uninstall(file);
                    out.println(
                            n == 0
                                    ? "No solo monitor hooks in " + file + "; nothing changed."
                                    : "Removed solo monitor hooks from " + n + " events in " + file
                                            + "; other hooks kept.");
                }
                case "status" -> {
                    return status(t, file, out);
                }
                default -> {
                    err.println("Error: unknown action '" + action + "'; use install, uninstall or status.");
                    return MonitorCommand.USAGE;
                }
            }
        } catch (IOException e) {
            err.println("Error: " + e.getMessage());
            return 1;
        }
        return 0;
    }

    private int install(Target t, Path file, PrintWriter out, PrintWriter err) throws IOException {
        int port = t.named() ? t.app().find().map(id -> id.port()).orElse(0) : t.port();
        if (port == 0) {
            err.println("Error: the named monitor '" + t.name() + "' is not running, so its port is unknown."
                    + " Start it first with 'solo monitor --name " + t.name() + "'.");
            return 1;
        }
        IngestKey key = IngestKey.loadOrCreate(t.registry().home());
        Optional<String> version = claudeVersion();
        List<String> events = HookEvents.forVersion(version);
        HooksInstaller.install(file, events, port, key);
        out.println("Installed solo monitor hooks for " + events.size() + " events in " + file + " (port " + port
                + "). They carry the ingest key from " + key.file() + ", which can only add events.");
        out.println(version.map(v -> "Event set for Claude Code " + v.strip() + ".")
                .orElse("No 'claude' on PATH: used the event set documented for Claude Code 2.1.x."));
        return 0;
    }

    private int status(Target t, Path file, PrintWriter out) throws IOException {
        Path keyFile = IngestKey.fileIn(t.registry().home());
        IngestKey key =
                Files.exists(keyFile) ? IngestKey.loadOrCreate(t.registry().home()) : null;
        HooksInstaller.Status s =
                HooksInstaller.status(file, key, t.registry().token().value());
        if (s.events().isEmpty()) {
            out.println("No solo monitor hooks in " + file + ".");
            return 0;
        }
        out.println(
                s.events().size() + " events send to " + s.url() + " (" + file + "): " + String.join(", ", s.events()));
        if (!s.stale().isEmpty()) {
            out.println("Stale: " + s.stale().size() + " of them carry "
                    + (s.token() ? "the monitor's token" : "an ingest key that is no longer current")
                    + ". Run 'solo monitor hooks install --scope " + scope
                    + "' to give them the current ingest key.");
        }
        return 0;
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
