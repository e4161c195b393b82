package dev.solo.bench.monitor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Claude Code hook payloads of {@code ../shared/fixtures/claude-code-hooks} (one file per event plus
 * {@code variants/}), byte for byte, in a fixed order. The benchmarks send them round-robin: every
 * event name and shape of the fixture set, each as often as the others.
 */
final class Fixtures {
    /** Where the fixtures are looked for when {@code --fixtures} is not given, relative to the repository. */
    static final List<String> DEFAULT_PLACES = List.of("../shared/fixtures/claude-code-hooks");

    private Fixtures() {}

    static Path locate(Path repo, String given) {
        if (given != null) return Path.of(given);
        for (String place : DEFAULT_PLACES) {
            Path p = repo.resolve(place).normalize();
            if (Files.isDirectory(p)) return p;
        }
        throw new IllegalArgumentException(
                "no hook fixtures found in " + DEFAULT_PLACES + " (relative to " + repo + "); pass --fixtures DIR");
    }

    /** Every {@code *.json} under {@code dir}, sorted by path. */
    static List<byte[]> load(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        if (files.isEmpty()) throw new IOException("no *.json hook payloads in " + dir);
        List<byte[]> out = new ArrayList<>(files.size());
        for (Path f : files) out.add(Files.readAllBytes(f));
        return out;
    }
}
