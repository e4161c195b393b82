package dev.solo.monitor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real Claude Code hook payloads under {@code src/test/resources/fixtures/claude-code-hooks}
 * (provenance in {@code fixtures/PROVENANCE.md} and {@code SOURCES.md} beside them), read from the test
 * class path: the tests need nothing outside the repository.
 */
public final class HookFixtures {
    /** The folder: one {@code <Event>.json} per event, more in {@code variants/}. */
    public static final Path DIR = locate();

    private HookFixtures() {}

    /** The fixture {@code name} without {@code .json}, e.g. {@code PreToolUse} or {@code variants/PostToolUse.Edit}. */
    public static String read(String name) {
        Path file = DIR.resolve(name + ".json");
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the fixture " + name + " at " + file, e);
        }
    }

    private static Path locate() {
        URL url = HookFixtures.class.getResource("/fixtures/claude-code-hooks/SOURCES.md");
        if (url == null) {
            throw new IllegalStateException("fixtures/claude-code-hooks is not on the test class path; it lives in"
                    + " monitor/src/test/resources");
        }
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot turn " + url + " into a path", e);
        }
    }
}
