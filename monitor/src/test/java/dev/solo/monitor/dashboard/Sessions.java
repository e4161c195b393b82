package dev.solo.monitor.dashboard;

import dev.solo.monitor.transcript.ClaudeHome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The real Claude Code sessions in test resources ({@code fixtures/claude-code-sessions/}, see its
 * SOURCES.md): their transcripts copied into a Claude config directory of the test's own, and their
 * hook payloads posted to a monitor with {@code transcript_path} pointing there.
 */
final class Sessions {
    static final String ALPHA = "a5113d7c-cff0-4447-bd52-99b8b7c879f1";
    static final String PERM = "f6fcbe64-fe55-4aeb-b82f-6302554e9014";
    static final String INTER = "0411e9a0-0398-4ca6-bd11-acc05de86cec";
    static final List<String> ALL = List.of(ALPHA, PERM, INTER);
    /** The config directories the payloads were recorded with. */
    private static final List<String> RECORDED = List.of("/tmp/dash/home/.claude", "/home/dev/.claude");

    private Sessions() {}

    static Path resources() {
        try {
            return Path.of(Sessions.class
                            .getResource("/fixtures/claude-code-sessions/SOURCES.md")
                            .toURI())
                    .getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies the transcripts into {@code claudeDir} (as Claude Code lays them out). */
    static void install(Path claudeDir) {
        Path from = resources().resolve("claude");
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path to = claudeDir.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(to);
                else Files.copy(f, to);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The hook payloads of {@code session}, with their transcript paths moved into {@code claudeDir}. */
    static List<String> hooks(String session, Path claudeDir) {
        try {
            return Files.readAllLines(resources().resolve(session + ".hooks.jsonl")).stream()
                    .filter(l -> !l.isBlank())
                    .map(l -> {
                        String out = l;
                        for (String r : RECORDED) out = out.replace(r, claudeDir.toString());
                        return out;
                    })
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A monitor that reads transcripts only under {@code home/.claude}, with every session installed there
     * and posted; {@code ended}: with their {@code SessionEnd}, else still running (their cards on the
     * board, not folded under "Ended").
     */
    static Monitor fed(Path home, boolean ended) {
        Path claude = home.resolve(".claude");
        install(claude);
        Monitor m = new Monitor(home, new ClaudeHome(claude));
        for (String s : ALL)
            for (String hook : hooks(s, claude)) if (ended || !hook.contains("\"SessionEnd\"")) m.post(hook);
        return m;
    }

    /** Posts every payload of {@code session}. */
    static void post(Monitor m, String session, Path claudeDir) {
        for (String json : hooks(session, claudeDir)) m.post(json);
    }
}
