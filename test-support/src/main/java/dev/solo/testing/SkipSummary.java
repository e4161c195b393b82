package dev.solo.testing;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Prints, at the end of a module's {@code verify}, which tests did not run and why (the records of
 * {@link SkipRecorder}), adds them to the build's running total under the root's {@code
 * target/test-skips/}, and prints that total as the last line. Under {@code CI=true} a test skipped for a
 * missing prerequisite or a failed assumption fails the build here.
 *
 * <p>Run by the parent POM as {@code exec:java} with the arguments {@code MODULE MODULE_TARGET_DIR
 * BUILD_ID ROOT_DIR}.
 */
public final class SkipSummary {
    private SkipSummary() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            throw new IllegalArgumentException(
                    "usage: SkipSummary MODULE MODULE_TARGET_DIR BUILD_ID ROOT_DIR, got " + List.of(args));
        }
        String module = args[0];
        Path moduleDir = Path.of(args[1]).resolve("test-skips");
        String build = args[2];
        Path totalFile =
                Path.of(args[3]).resolve("target").resolve("test-skips").resolve("build-" + build + ".tsv");
        List<Skip> skips = read(moduleDir, build);
        PrintStream out = System.out;
        if (!skips.isEmpty()) {
            out.println(module + ": " + count(skips.size()) + " did not run:");
            for (Map.Entry<String, List<Skip>> group : byClassAndReason(skips).entrySet()) {
                Skip first = group.getValue().get(0);
                out.println("  " + first.simpleClassName() + " ("
                        + count(group.getValue().size()) + "): " + first.reason());
            }
            Files.createDirectories(totalFile.getParent());
            List<String> lines = new ArrayList<>();
            for (Skip s : skips) lines.add(module + "\t" + s.toLine());
            Files.write(totalFile, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        List<String> total = Files.exists(totalFile) ? Files.readAllLines(totalFile) : List.of();
        long modules = total.stream().map(l -> l.split("\t", 2)[0]).distinct().count();
        long optIn =
                total.stream().filter(l -> l.split("\t")[1].equals(Skip.OPT_IN)).count();
        out.println("solo tests: "
                + (total.isEmpty()
                        ? "nothing skipped so far in this build"
                        : count(total.size())
                                + " skipped so far in this build, in " + modules
                                + (modules == 1 ? " module" : " modules")
                                + " (" + optIn + " opt-in); the list: " + totalFile));
        List<Skip> fatal = skips.stream().filter(Skip::failsCi).toList();
        if (TestEnvironment.isCi() && !fatal.isEmpty()) {
            throw new IllegalStateException("CI=true, yet " + count(fatal.size()) + " of " + module
                    + " did not run for a missing prerequisite or a failed assumption; .ci/run must install what"
                    + " they need. First: " + fatal.get(0).simpleClassName() + "."
                    + fatal.get(0).name() + ": "
                    + fatal.get(0).reason());
        }
    }

    private static List<Skip> read(Path dir, String build) throws IOException {
        List<Skip> skips = new ArrayList<>();
        if (!Files.isDirectory(dir)) return skips;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (!name.endsWith(".tsv")) continue;
                if (!name.startsWith(build + "-")) {
                    Files.deleteIfExists(f); // an earlier build's
                    continue;
                }
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) skips.add(Skip.parse(line));
                }
            }
        }
        return skips;
    }

    private static Map<String, List<Skip>> byClassAndReason(List<Skip> skips) {
        Map<String, List<Skip>> groups = new LinkedHashMap<>();
        for (Skip s : skips) {
            groups.computeIfAbsent(s.className() + "\t" + s.reason(), k -> new ArrayList<>())
                    .add(s);
        }
        return groups;
    }

    private static String count(long n) {
        return n + (n == 1 ? " test" : " tests");
    }
}
