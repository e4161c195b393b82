package dev.solo.monitor.dashboard;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The real Claude Code CLI, run offline against the stand-in Messages API (test resource {@code
 * sessions/stand-in-messages-api.py}, a copy of {@code ../shared/tools/}), in an isolated HOME, in a
 * tmux session of its own (a private socket). {@link #close()} kills the tmux server (and with it the
 * CLI) and the stand-in.
 */
final class ClaudeCode implements AutoCloseable {
    final Path home;
    final Path socket;
    final int apiPort;
    private final Process standIn;
    private final List<String> sessions = new ArrayList<>();

    /** The CLI: {@code -Dsolo.claude}, {@code $SOLO_CLAUDE}, the dev machine's copy, or {@code claude} on PATH. */
    static Optional<Path> cli() {
        List<String> candidates = new ArrayList<>();
        if (System.getProperty("solo.claude") != null) candidates.add(System.getProperty("solo.claude"));
        if (System.getenv("SOLO_CLAUDE") != null) candidates.add(System.getenv("SOLO_CLAUDE"));
        candidates.add("/tmp/claude-cli/node_modules/.bin/claude");
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) candidates.add(dir + "/claude");
        return candidates.stream().map(Path::of).filter(Files::isExecutable).findFirst();
    }

    static boolean tmux() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, "tmux"))) return true;
        }
        return false;
    }

    ClaudeCode(Path home) throws IOException {
        this.home = home;
        this.socket = home.resolve("tmux.sock");
        try (ServerSocket s = new ServerSocket(0)) {
            apiPort = s.getLocalPort();
        }
        Path script = Sessions.resources().resolve("stand-in-messages-api.py");
        standIn = new ProcessBuilder("python3", script.toString(), String.valueOf(apiPort), "-", "0.2")
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("stand-in.log").toFile())
                .start();
        // onboarding done, the API key approved: the CLI starts straight at its prompt
        Files.writeString(
                home.resolve(".claude.json"),
                "{\"hasCompletedOnboarding\":true,\"theme\":\"dark\",\"customApiKeyResponses\":{\"approved\":"
                        + "[\"sk-test\"],\"rejected\":[]},\"projects\":{}}");
    }

    /** Trusts {@code project} and starts an interactive session there, in tmux window {@code name}. */
    void interactive(String name, Path project, Path cli, String... args) throws IOException, InterruptedException {
        String json = Files.readString(home.resolve(".claude.json"));
        json = json.replace(
                "\"projects\":{",
                "\"projects\":{\"" + project + "\":{\"hasTrustDialogAccepted\":true,\"allowedTools\":[]},");
        Files.writeString(home.resolve(".claude.json"), json.replace(",}", "}"));
        Path run = home.resolve("run-" + name + ".sh");
        Files.writeString(
                run,
                "#!/bin/sh\ncd '" + project + "'\nexport HOME='" + home + "' ANTHROPIC_BASE_URL=http://127.0.0.1:"
                        + apiPort + " ANTHROPIC_API_KEY=sk-test\nexec '" + cli + "' " + String.join(" ", args) + "\n");
        run.toFile().setExecutable(true);
        tmux(
                sessions.isEmpty() ? "new-session" : "new-session",
                "-d",
                "-s",
                name,
                "-x",
                "200",
                "-y",
                "50",
                run.toString());
        sessions.add(name);
    }

    /**
     * Types {@code text} into session {@code name}, waits until the prompt shows it (keys sent with the
     * text at once would arrive as a paste, and Enter would be part of it), then presses Enter.
     */
    void type(String name, String text) throws IOException, InterruptedException {
        tmux("send-keys", "-t", name, "-l", text);
        String tail = text.substring(Math.max(0, text.length() - 20));
        org.awaitility.Awaitility.await().atMost(wait(15)).until(() -> screen(name)
                .contains(tail));
        tmux("send-keys", "-t", name, "Enter");
    }

    void keys(String name, String... keys) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("send-keys", "-t", name));
        cmd.addAll(List.of(keys));
        tmux(cmd.toArray(String[]::new));
    }

    /** What the terminal of session {@code name} shows now. */
    String screen(String name) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("tmux", "-S", socket.toString(), "capture-pane", "-p", "-t", name)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    private void tmux(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-S", socket.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("tmux " + String.join(" ", args) + " failed: " + out);
        }
    }

    @Override
    public void close() {
        try {
            new ProcessBuilder("tmux", "-S", socket.toString(), "kill-server")
                    .redirectErrorStream(true)
                    .start()
                    .waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no server left
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        standIn.destroy();
        try {
            if (!standIn.waitFor(5, TimeUnit.SECONDS)) standIn.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            standIn.destroyForcibly();
        }
    }

    static Duration wait(int seconds) {
        return Duration.ofSeconds(seconds);
    }
}
