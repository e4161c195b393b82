package dev.solo.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real Claude Code CLI, run offline against a {@link StandInApi}, with a home and configuration
 * directory of its own under {@code sandbox} (never the user's). For end-to-end tests of what Claude
 * Code sends to the monitor:
 *
 * <pre>{@code
 * try (StandInApi api = StandInApi.start(dir.resolve("api"), Duration.ofMillis(50))) {
 *     ClaudeCode.Result r = ClaudeCode.in(dir.resolve("claude"), api)
 *             .run(project, "SCRIPT dir=" + project + " ; go");
 *     r.transcript() ...
 * }
 * }</pre>
 *
 * <p>The CLI is found through {@code SOLO_TEST_CLAUDE} (environment), {@code -Dsolo.test.claude}, or
 * {@code claude} on PATH; without one the test is skipped (or fails under CI), see {@link
 * Prerequisite#CLAUDE_CODE}. Tools run with {@code --permission-mode acceptEdits} and the scripted
 * session's tools allowed, so no prompt waits for a person.
 */
public final class ClaudeCode {
    /** The tools the stand-in's scripted session uses. */
    public static final String ALLOWED_TOOLS = "Bash Read Write Edit Glob Grep Agent Task";
    /** The key the CLI presents to the stand-in, which accepts any. */
    static final String API_KEY = "sk-test";

    private final Path sandbox;
    private final StandInApi api;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> extraArgs = new ArrayList<>();
    private Duration timeout = Duration.ofMinutes(3);

    private ClaudeCode(Path sandbox, StandInApi api) {
        this.sandbox = sandbox;
        this.api = api;
    }

    /** A runner whose {@code HOME} is {@code sandbox/home} and {@code CLAUDE_CONFIG_DIR} {@code sandbox/home/.claude}. */
    public static ClaudeCode in(Path sandbox, StandInApi api) {
        return new ClaudeCode(sandbox.toAbsolutePath(), api);
    }

    /** Where the CLI is, or empty. */
    static Optional<String> locate() {
        String explicit = System.getenv("SOLO_TEST_CLAUDE");
        if (explicit == null || explicit.isBlank()) explicit = System.getProperty("solo.test.claude");
        return Programs.explicitOrFind(explicit, "claude");
    }

    /** The home directory the CLI sees ({@code HOME}); {@code .claude/settings.json} there is its user settings. */
    public Path home() {
        return sandbox.resolve("home");
    }

    /** {@code CLAUDE_CONFIG_DIR}: settings, and the transcripts under {@code projects/}. */
    public Path configDir() {
        return home().resolve(".claude");
    }

    /** Adds an environment variable for the CLI (after the defaults, so it can override them). */
    public ClaudeCode env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Adds command-line arguments: after the defaults of {@link #run}, and to an interactive {@link #terminal}. */
    public ClaudeCode args(String... args) {
        extraArgs.addAll(List.of(args));
        return this;
    }

    List<String> extraArgs() {
        return List.copyOf(extraArgs);
    }

    /**
     * What {@code claude --version} prints (e.g. {@code 2.1.197 (Claude Code)}), to pick what the
     * version knows, such as its hook events. Skips (or fails under CI) without the CLI.
     */
    public String version() throws IOException, InterruptedException {
        Files.createDirectories(configDir());
        Path out = Files.createTempFile(sandbox, "claude-version", ".out");
        ProcessBuilder pb = new ProcessBuilder(Prerequisite.CLAUDE_CODE.require(), "--version")
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().putAll(environment());
        Process p = pb.start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("claude --version did not exit within 60 s; it printed: "
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
        } finally {
            p.destroyForcibly();
        }
        String printed = Files.readString(out, StandardCharsets.UTF_8).strip();
        if (p.exitValue() != 0) {
            throw new AssertionError("claude --version exited with " + p.exitValue() + ": " + printed);
        }
        return printed;
    }

    /** How long a run may take before it is killed and the test fails; 3 minutes by default. */
    public ClaudeCode timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /**
     * An interactive session of the same CLI in a private tmux server, in {@code project}: real
     * permission prompts that a test answers with keys. Skips (or fails under CI) without tmux.
     */
    public ClaudeTerminal terminal(Path project) throws IOException, InterruptedException {
        return ClaudeTerminal.start(this, Prerequisite.CLAUDE_CODE.require(), project);
    }

    /** The variables the CLI runs with: its home and configuration, the stand-in API, no updates or telemetry. */
    Map<String, String> environment() {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("HOME", home().toString());
        e.put("CLAUDE_CONFIG_DIR", configDir().toString());
        e.put("ANTHROPIC_BASE_URL", api.baseUrl());
        e.put("ANTHROPIC_API_KEY", API_KEY);
        e.put("DISABLE_AUTOUPDATER", "1");
        e.put("DISABLE_TELEMETRY", "1");
        e.put("DISABLE_ERROR_REPORTING", "1");
        e.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        e.putAll(env);
        return e;
    }

    /** What a run left behind. {@code transcript} is the session's JSONL file, when it wrote one. */
    public record Result(int exit, String stdout, String stderr, Optional<Path> transcript, Path configDir) {}

    /** {@code claude -p PROMPT} in {@code project}, waiting for its exit. */
    public Result run(Path project, String prompt) throws IOException, InterruptedException {
        String claude = Prerequisite.CLAUDE_CODE.require();
        Files.createDirectories(configDir());
        List<String> command = new ArrayList<>(
                List.of(claude, "-p", prompt, "--permission-mode", "acceptEdits", "--allowedTools", ALLOWED_TOOLS));
        command.addAll(extraArgs);
        ProcessBuilder pb = new ProcessBuilder(command).directory(project.toFile());
        pb.environment().remove("ANTHROPIC_AUTH_TOKEN");
        pb.environment().putAll(environment());
        Path out = Files.createTempFile(sandbox, "claude", ".out");
        Path err = Files.createTempFile(sandbox, "claude", ".err");
        pb.redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process p = pb.start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("claude -p did not finish within " + timeout + " in " + project + "; stdout: "
                        + Files.readString(out, StandardCharsets.UTF_8) + "\nstderr: "
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        return new Result(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8),
                newestTranscript(),
                configDir());
    }

    /** The newest {@code projects/<dir>/<session>.jsonl} (not a subagent's), if any. */
    Optional<Path> newestTranscript() throws IOException {
        Path projects = configDir().resolve("projects");
        if (!Files.isDirectory(projects)) return Optional.empty();
        try (Stream<Path> files = Files.walk(projects, 2)) {
            return files.filter(f -> f.toString().endsWith(".jsonl") && Files.isRegularFile(f))
                    .max(Comparator.comparing(f -> f.toFile().lastModified()));
        }
    }
}
