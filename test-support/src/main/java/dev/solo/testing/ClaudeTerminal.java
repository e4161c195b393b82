package dev.solo.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * An interactive Claude Code session in a tmux server of its own (its socket name is unique to this
 * session, so it never meets the user's tmux), 200x50 characters. A test types a prompt, waits for text
 * on the screen (a permission prompt, the final answer) and presses keys to answer. The configuration
 * is seeded so no first-run dialog appears: onboarding done, the stand-in's key approved, the project
 * trusted. The CLI gets the runner's {@link ClaudeCode#args extra arguments} (e.g. {@code
 * --permission-mode default}). Close it to kill the server and everything in it.
 */
public final class ClaudeTerminal implements AutoCloseable {
    private static final AtomicInteger SESSIONS = new AtomicInteger();

    private final String tmux;
    private final String socket;
    private final ClaudeCode claude;

    private ClaudeTerminal(String tmux, String socket, ClaudeCode claude) {
        this.tmux = tmux;
        this.socket = socket;
        this.claude = claude;
    }

    static ClaudeTerminal start(ClaudeCode claude, String binary, Path project)
            throws IOException, InterruptedException {
        String tmux = Prerequisite.TMUX.require();
        Files.createDirectories(claude.configDir());
        Path abs = project.toAbsolutePath();
        Files.writeString(
                claude.configDir().resolve(".claude.json"),
                "{\"hasCompletedOnboarding\": true, \"theme\": \"dark\", \"numStartups\": 1,"
                        + " \"customApiKeyResponses\": {\"approved\": [\"" + ClaudeCode.API_KEY
                        + "\"], \"rejected\": []},"
                        + " \"projects\": {\"" + abs
                        + "\": {\"hasTrustDialogAccepted\": true, \"allowedTools\": []}}}\n");
        String socket = "solo-test-" + ProcessHandle.current().pid() + "-" + SESSIONS.incrementAndGet();
        List<String> command = new ArrayList<>(List.of(
                tmux,
                "-L",
                socket,
                "new-session",
                "-d",
                "-s",
                "claude",
                "-x",
                "200",
                "-y",
                "50",
                "-c",
                abs.toString()));
        StringBuilder shell = new StringBuilder("env");
        for (Map.Entry<String, String> e : claude.environment().entrySet()) {
            shell.append(' ').append(quote(e.getKey() + "=" + e.getValue()));
        }
        shell.append(' ').append(quote(binary));
        for (String arg : claude.extraArgs()) shell.append(' ').append(quote(arg));
        command.add(shell.toString());
        ClaudeTerminal terminal = new ClaudeTerminal(tmux, socket, claude);
        terminal.run(command);
        return terminal;
    }

    /**
     * Types {@code prompt} into the input box and submits it. Claude Code reads fast typing as a paste
     * and may take an Enter in it as a new line, so this waits until the text is in the box, then
     * presses Enter until the box no longer holds it (each press waits up to 3 s for that).
     */
    public ClaudeTerminal submit(String prompt, Duration timeout) throws IOException, InterruptedException {
        String head = prompt.substring(0, Math.min(prompt.length(), 24));
        long deadline = System.nanoTime() + timeout.toNanos();
        type(prompt);
        awaitScreen(s -> inputLine(s).contains(head), "the typed prompt in the input box", timeout);
        while (true) {
            press("Enter");
            try {
                awaitScreen(s -> !inputLine(s).contains(head), "the prompt submitted", Duration.ofSeconds(3));
                return this;
            } catch (AssertionError notYet) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(
                            "Claude Code did not take the prompt within " + timeout + "; screen:\n" + screen());
                }
            }
        }
    }

    /**
     * Answers every permission prompt with its first choice ("1. Yes") until {@code text} is on the
     * screen, as a person who allows each tool call would; returns that screen.
     */
    public String allowEachUntil(String text, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            String shown = awaitScreen(
                    x -> x.contains(text) || asksPermission(x), "'" + text + "' or a permission prompt", left);
            if (shown.contains(text)) return shown;
            press("Enter");
            try {
                awaitScreen(x -> !x.equals(shown), "the permission prompt answered", Duration.ofSeconds(10));
            } catch (AssertionError unchanged) {
                // the key was lost (the prompt was still drawing): the next round presses it again
            }
        }
    }

    /** Whether the screen shows a permission prompt (a question with "1. Yes" selected). */
    public static boolean asksPermission(String screen) {
        return screen.contains("Do you want to") && inputLine(screen).contains("1. Yes");
    }

    /** The last line of the screen that starts with the input marker {@code ❯}: the input box, or a choice. */
    static String inputLine(String screen) {
        String last = "";
        for (String line : screen.split("\n")) {
            if (line.strip().startsWith("\u276F")) last = line;
        }
        return last;
    }

    /** Types {@code text} literally (no key names), without Enter. */
    public ClaudeTerminal type(String text) throws IOException, InterruptedException {
        run(List.of(tmux, "-L", socket, "send-keys", "-t", "claude", "-l", text));
        return this;
    }

    /** Presses a key by its tmux name: {@code Enter}, {@code Escape}, {@code Down}, {@code C-c} … */
    public ClaudeTerminal press(String key) throws IOException, InterruptedException {
        run(List.of(tmux, "-L", socket, "send-keys", "-t", "claude", key));
        return this;
    }

    /** The visible screen as text. */
    public String screen() throws IOException, InterruptedException {
        return run(List.of(tmux, "-L", socket, "capture-pane", "-p", "-t", "claude"));
    }

    /** Waits until the screen contains {@code text}; fails with the screen after {@code timeout}. */
    public String awaitScreen(String text, Duration timeout) throws IOException, InterruptedException {
        return awaitScreen(s -> s.contains(text), "'" + text + "'", timeout);
    }

    /** Waits until the screen matches; fails with the last screen after {@code timeout}. */
    public String awaitScreen(Predicate<String> matches, String what, Duration timeout)
            throws IOException, InterruptedException {
        String[] last = {""};
        try {
            Awaitility.await()
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        last[0] = screen();
                        return matches.test(last[0]);
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    "no " + what + " on the Claude Code screen within " + timeout + "; it shows:\n" + last[0]);
        }
        return last[0];
    }

    /** The session's transcript, once Claude Code has written one. */
    public Optional<Path> transcript() throws IOException {
        return claude.newestTranscript();
    }

    /**
     * Kills the tmux server, then waits until Claude Code and every process it started have exited
     * (killing what is left after 10 s), so nothing still writes into the configuration directory when
     * the test's temporary folder is deleted.
     */
    @Override
    public void close() throws IOException, InterruptedException {
        List<ProcessHandle> session = sessionProcesses();
        run(List.of(tmux, "-L", socket, "kill-server"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (ProcessHandle p : session) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) p.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // still running: killed below
            }
        }
        for (ProcessHandle p : session) {
            if (p.isAlive()) p.destroyForcibly();
        }
        for (ProcessHandle p : session) {
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("process " + p.pid() + " of the Claude Code session did not exit", e);
            }
        }
    }

    /** The pane's process (the CLI: {@code env} execs it) and its descendants, while the server runs. */
    private List<ProcessHandle> sessionProcesses() {
        List<ProcessHandle> all = new ArrayList<>();
        try {
            String pid = run(List.of(tmux, "-L", socket, "display-message", "-p", "-t", "claude", "#{pane_pid}"))
                    .trim();
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(p -> {
                all.add(p);
                p.descendants().forEach(all::add);
            });
        } catch (IOException | InterruptedException | RuntimeException e) {
            // the session is gone already: nothing of it to wait for
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
        }
        return all;
    }

    private String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("tmux did not answer within 30 s: " + String.join(" ", command));
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0 && !command.contains("kill-server")) {
            throw new IllegalStateException(
                    "tmux failed (exit " + p.exitValue() + "): " + String.join(" ", command) + ": " + text);
        }
        return text;
    }

    /** Single-quotes {@code s} for the shell tmux runs the command with. */
    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
