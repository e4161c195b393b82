package dev.solo.monitor.transcript;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The user's Claude Code configuration directory ({@code $CLAUDE_CONFIG_DIR}, else {@code
 * $HOME/.claude}), and the one gate through which the monitor reads a transcript.
 *
 * <p>A hook payload names its transcript ({@code transcript_path}), and anyone who can post a hook
 * can write any path there. So a path is read only when it resolves (symlinks followed) to a regular
 * {@code .jsonl} file inside this directory (also resolved): {@code /etc/passwd}, {@code
 * ~/.claude/../.ssh/id_ed25519.jsonl}, a symlink inside {@code ~/.claude} that points out of it, a
 * directory or a FIFO are all refused with a {@link TranscriptException} that says why.
 */
public record ClaudeHome(Path dir) {
    private static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");

    public ClaudeHome {
        Objects.requireNonNull(dir, "dir");
        dir = dir.toAbsolutePath().normalize();
    }

    /** {@code $CLAUDE_CONFIG_DIR}, else {@code $HOME/.claude}, else {@code user.home}/.claude. */
    public static ClaudeHome fromEnvironment(Map<String, String> env) {
        String config = env.get("CLAUDE_CONFIG_DIR");
        if (config != null && !config.isBlank()) return new ClaudeHome(Path.of(config));
        String home = env.get("HOME");
        if (home == null || home.isBlank()) home = System.getProperty("user.home");
        return new ClaudeHome(Path.of(home, ".claude"));
    }

    /** Where Claude Code keeps the transcripts: {@code <dir>/projects/<project>/<session>.jsonl}. */
    public Path projects() {
        return dir.resolve("projects");
    }

    /**
     * The real path of the transcript {@code path}, once checked.
     *
     * @throws TranscriptException when it is not a regular .jsonl file inside {@link #dir()}
     */
    public Path check(String path) {
        if (path == null || path.isBlank()) throw new TranscriptException("the stream names no transcript_path yet");
        Path p;
        try {
            p = Path.of(path);
        } catch (RuntimeException e) {
            throw new TranscriptException("'" + path + "' is not a file path");
        }
        if (!p.isAbsolute()) throw new TranscriptException("transcript_path '" + path + "' is not an absolute path");
        Path real;
        Path root;
        try {
            root = dir.toRealPath();
        } catch (IOException e) {
            throw new TranscriptException("the Claude config directory " + dir + " does not exist (set"
                    + " CLAUDE_CONFIG_DIR for the monitor if Claude Code uses another one)");
        }
        try {
            real = p.toRealPath();
        } catch (NoSuchFileException e) {
            throw TranscriptException.missing("the transcript " + path + " does not exist (yet, or any more)");
        } catch (IOException e) {
            throw new TranscriptException("cannot resolve the transcript " + path + ": " + e.getMessage());
        }
        if (!real.startsWith(root)) {
            throw new TranscriptException("refused to read " + path + ": it is not inside the Claude config directory "
                    + root + " (CLAUDE_CONFIG_DIR, else ~/.claude)");
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new TranscriptException("refused to read " + path + ": not a regular file");
        }
        if (!real.getFileName().toString().endsWith(".jsonl")) {
            throw new TranscriptException("refused to read " + path + ": a transcript is a .jsonl file");
        }
        return real;
    }

    /**
     * The transcript of subagent {@code agentId} of the session whose transcript is {@code main}:
     * {@code <project>/<session>/subagents/agent-<agentId>.jsonl}, checked like any transcript.
     */
    public Path subagent(Path main, String agentId) {
        if (agentId == null || !AGENT_ID.matcher(agentId).matches()) {
            throw new TranscriptException("agent id must be 1-80 characters of [A-Za-z0-9_-], got '" + agentId + "'");
        }
        return check(subagentsDir(main).resolve("agent-" + agentId + ".jsonl").toString());
    }

    /** {@code <project>/<session>/subagents} for the main transcript {@code main}. */
    public static Path subagentsDir(Path main) {
        String name = main.getFileName().toString();
        String session = name.endsWith(".jsonl") ? name.substring(0, name.length() - 6) : name;
        return main.resolveSibling(session).resolve("subagents");
    }
}
