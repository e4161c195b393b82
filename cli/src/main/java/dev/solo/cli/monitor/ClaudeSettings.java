package dev.solo.cli.monitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where Claude Code reads its settings, as Claude Code itself finds them: user scope in {@code
 * $CLAUDE_CONFIG_DIR/settings.json}, else {@code $HOME/.claude/settings.json} (the JVM's {@code
 * user.home} comes from the password database and ignores {@code $HOME}; it is only the last resort);
 * project scope in {@code .claude/settings.local.json} of the current directory (personal, never
 * committed). Loads no JSON library: the reuse path of {@code solo monitor} calls {@link #staleWarning}.
 */
final class ClaudeSettings {
    static final String ENV_CONFIG_DIR = "CLAUDE_CONFIG_DIR";

    private ClaudeSettings() {}

    /** The settings file of {@code scope} ({@code user} or {@code project}). */
    static Path of(String scope, Map<String, String> env) {
        return switch (scope) {
            case "user" -> user(env);
            case "project" -> Path.of("").toAbsolutePath().resolve(".claude").resolve("settings.local.json");
            default -> throw new IllegalArgumentException("--scope must be user or project, got '" + scope + "'.");
        };
    }

    static Path user(Map<String, String> env) {
        String dir = env.get(ENV_CONFIG_DIR);
        if (dir != null && !dir.isBlank()) return Path.of(dir, "settings.json");
        String home = env.get("HOME");
        if (home != null && !home.isBlank()) return Path.of(home, ".claude", "settings.json");
        return Path.of(System.getProperty("user.home"), ".claude", "settings.json");
    }

    /**
     * A warning when a settings file solo may have written still carries the monitor's {@code token}
     * (hooks installed before the ingest key existed), naming the file and the command that fixes it;
     * empty when none does. Reads the user and project files as plain text, nothing else.
     */
    static Optional<String> staleWarning(String token, Map<String, String> env) {
        for (String scope : List.of("user", "project")) {
            Path file = of(scope, env);
            try {
                if (Files.isRegularFile(file)
                        && Files.readString(file, StandardCharsets.UTF_8).contains(token)) {
                    return Optional.of("Warning: the hooks in " + file + " carry the monitor's token, which hooks no"
                            + " longer need. Run 'solo monitor hooks install --scope " + scope + "' to give them the"
                            + " ingest key instead.");
                }
            } catch (IOException | RuntimeException unreadable) {
                // 'hooks status' reports files it cannot read
            }
        }
        return Optional.empty();
    }
}
