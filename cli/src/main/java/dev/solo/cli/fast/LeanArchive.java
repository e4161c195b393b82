package dev.solo.cli.fast;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The lean JVM's check of the archive the launcher gave it ({@code -D}{@value #PROPERTY}{@code =<path>}
 * names it). That archive is a static one: a JVM that cannot map it (one upgraded in place since it was
 * made, or a damaged file) runs with no class-data sharing at all, not even the JDK's own, and it says
 * nothing about it. So when this JVM runs without sharing, it removes the archive, and the launcher's next
 * run makes one for the JVM it has now. An archive younger than {@link #KEEP_YOUNG_MILLIS} is kept, so a
 * JVM that can never map one (sharing turned off by the user's options) costs a new archive that often
 * at most, not on every run.
 */
public final class LeanArchive {
    /** The system property with the archive's path, set by the launcher on the lean JVM only. */
    public static final String PROPERTY = "solo.archive";

    static final long KEEP_YOUNG_MILLIS = 10 * 60 * 1000L; // a constant: nothing to initialise on the lean path

    private LeanArchive() {}

    /** Removes the named archive and its stamp when this JVM did not map it and it is not new. */
    public static void dropIfUnmapped() {
        String archive = System.getProperty(PROPERTY);
        if (archive == null || archive.isEmpty()) return;
        if (System.getProperty("java.vm.info", "").contains("sharing")) return;
        Path path = Path.of(archive);
        try {
            long age =
                    System.currentTimeMillis() - Files.getLastModifiedTime(path).toMillis();
            if (age < KEEP_YOUNG_MILLIS) return;
            Files.deleteIfExists(path.resolveSibling(path.getFileName() + ".jar")); // the stamp first
            Files.deleteIfExists(path);
        } catch (IOException | RuntimeException e) {
            // gone already, or not ours to remove: it only costs speed
        }
    }
}
