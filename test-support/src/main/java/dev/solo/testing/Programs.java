package dev.solo.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds programs on {@code PATH}, as a shell would. */
public final class Programs {
    private Programs() {}

    /** The first executable {@code name} on this JVM's {@code PATH}. */
    public static Optional<String> find(String name) {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate))
                return Optional.of(candidate.toString());
        }
        return Optional.empty();
    }

    /** {@code explicit} when it names an executable file, else {@link #find} of each name in turn. */
    static Optional<String> explicitOrFind(String explicit, String... names) {
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            return Files.isExecutable(p) ? Optional.of(p.toString()) : Optional.empty();
        }
        for (String n : names) {
            Optional<String> found = find(n);
            if (found.isPresent()) return found;
        }
        return Optional.empty();
    }
}
