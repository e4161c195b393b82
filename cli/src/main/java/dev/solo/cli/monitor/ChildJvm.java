package dev.solo.cli.monitor;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JVM options of the monitor server child ({@link Launcher#javaCommand()}), chosen for what the
 * server is: resident all day, small, and waited for by the first hook after it starts.
 *
 * <ul>
 *   <li>{@code -XX:+UseSerialGC -Xms16m -Xmx256m -XX:MaxNewSize=8m}: one small heap that grows only as far
 *       as the live data needs (a few MB to a few tens of MB), and a young generation that stays small
 *       (every request cycles through all of it, so all of it stays resident; its objects die young).
 *       With the JVM's default initial size the whole maximum was committed at start and the young
 *       generation alone kept 70 MB resident. The maximum stays, for an 8 MiB hook body or an import.
 *   <li>{@code -XX:TieredStopAtLevel=1}: the client compiler only. The server's hot paths are short
 *       (parse a hook, one insert, one answer); C2's compiler threads cost start-up CPU and up to 28 MB
 *       of arena memory.
 *   <li>{@code -XX:-UsePerfData}: no {@code /tmp/hsperfdata_*} file ({@code jcmd <pid>} still works).
 * </ul>
 *
 * When the class path is one jar (as the launcher runs it; not class directories, as tests and IDEs do),
 * two things are kept next to the jar, each made once per build of the jar and then reused:
 *
 * <ul>
 *   <li>{@value #ARCHIVE}, a class-data-sharing archive of the server's classes, so a start maps Jetty's,
 *       Jackson's and SQLite's classes instead of loading and verifying them. Used when it is newer than
 *       the jar and was recorded for this jar's path; otherwise the first server started after a build
 *       records it when it exits ({@code -XX:ArchiveClassesAtExit}), and servers started meanwhile run
 *       without one.
 *   <li>SQLite's native library for this platform, extracted from the jar into {@value #NATIVE}{@code
 *       /<os>-<arch>/}, and named with {@code -Dorg.sqlite.lib.path} and {@code .name}: otherwise every
 *       start extracts it to the temporary directory again (platform detection, an MD5 of 1 MB twice, a
 *       file write). If it cannot be loaded, sqlite-jdbc falls back to extracting it, into that directory
 *       too ({@code -Dorg.sqlite.tmpdir}, which is also the only directory it lists for stale copies at start).
 * </ul>
 *
 * Where the jar's folder is not writable, or not this user's alone (an installation owned by another
 * account, a read-only checkout, a folder others may write to: {@link JarSide}), both go into {@value #PRIVATE} in the user's state directory instead, made owner-only by
 * {@link PrivateDir}: the library into {@code sqlite-<version>/<os>-<arch>/} (a folder that holds it alone,
 * so the stale-copy listing stays one entry long, and one per sqlite-jdbc version, so two installations of
 * one user never load each other's), the archive unless a valid one lies beside the jar already. Another
 * user's files there are never used, and nothing is written where others could change it.
 *
 * Any failure to read or write these files only costs speed: the options are then left out.
 */
final class ChildJvm {
    static final String ARCHIVE = "solo-monitor.jsa";
    static final String NATIVE = "solo-native";
    static final String PRIVATE = "jvm";
    static final long CLAIM_MILLIS = 60 * 60 * 1000;

    private ChildJvm() {}

    /** Every option, for a child run with {@code -cp classPath} by this user. */
    static List<String> options(String classPath) {
        return options(classPath, stateDir());
    }

    /**
     * Every option, for a child run with {@code -cp classPath}, whose private files go below {@code stateDir}
     * where the jar's folder is not writable (null: there are none then).
     */
    static List<String> options(String classPath, Path stateDir) {
        return options(classPath, stateDir, Runtime.version().feature());
    }

    /**
     * {@link #options(String, Path)} for a child on JDK {@code feature}: from {@value #NATIVE_ACCESS_FEATURE}
     * on with {@link #NATIVE_ACCESS}, from {@value AotCache#FIRST_FEATURE} on with the {@link AotCache} instead
     * of the class-data archive. The child runs on this process's JDK, so only the tests choose, to check every
     * kind on whichever JDK runs them.
     */
    static List<String> options(String classPath, Path stateDir, int feature) {
        boolean aot = feature >= AotCache.FIRST_FEATURE;
        List<String> out = new ArrayList<>(List.of(
                "-XX:+UseSerialGC",
                "-Xms16m",
                "-Xmx256m",
                "-XX:MaxNewSize=8m",
                "-XX:TieredStopAtLevel=1",
                "-XX:-UsePerfData"));
        if (feature >= NATIVE_ACCESS_FEATURE) out.add(NATIVE_ACCESS);
        if (aot) out.addAll(AotCache.runtimeOptions());
        if (classPath == null || !classPath.endsWith(".jar") || classPath.contains(File.pathSeparator)) return out;
        Path jar = Path.of(classPath).toAbsolutePath();
        if (aot) { // JDK 25+: an AOT cache, made in the background after a start ({@link AotCache})
            out.addAll(AotCache.options(jar, stateDir));
            out.addAll(sqliteLibrary(jar, stateDir));
            return out;
        }
        boolean beside = besideJar(jar);
        List<String> archive = JarSide.trusted(jar) ? archive(jar, jar.getParent()) : List.of();
        if (archive.isEmpty() && stateDir != null && !beside) archive = archive(jar, privateDir(stateDir));
        out.addAll(archive);
        // The JVM's archive lines go to stdout, which is the monitor's log: the recording server's exit wrote
        // "[warning][cds] Skipping jdk/internal/event/Event: JFR event class" and three more there.
        if (!archive.isEmpty()) out.add(QUIET_ARCHIVE);
        out.addAll(sqliteLibrary(jar, stateDir));
        return out;
    }

    /**
     * Native access for sqlite-jdbc's library: JDK {@value #NATIVE_ACCESS_FEATURE} made loading one a
     * restricted method (JEP 472) and warns on stderr, which is the monitor's log, at every start without it.
     */
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    static final int NATIVE_ACCESS_FEATURE = 24;

    /** Keeps the class-data archive's log lines out of the monitor's log (the launcher's JVMs do the same). */
    static final String QUIET_ARCHIVE = "-Xlog:cds*=off";

    /**
     * Whether the server's files go beside {@code jar}: only where that folder is this user's alone ({@link
     * JarSide}: another user could plant a library or an archive there) and writable; else they go into the
     * user's {@link #privateDir}. A valid archive beside a jar in the user's own read-only folder is still used.
     */
    static boolean besideJar(Path jar) {
        return JarSide.trusted(jar) && Files.isWritable(jar.getParent());
    }

    /** This user's state directory (solo.home, SOLO_HOME, the platform's place), or null when it is not valid. */
    static Path stateDir() {
        try {
            return dev.solo.core.Registry.forCurrentUser().home();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** {@value #PRIVATE} in {@code stateDir}, made or checked by {@link PrivateDir}; null when it is refused. */
    static Path privateDir(Path stateDir, String... below) {
        String[] names = new String[below.length + 1];
        names[0] = PRIVATE;
        System.arraycopy(below, 0, names, 1, below.length);
        try {
            return PrivateDir.of(stateDir, names);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The environment the server needs besides the user's: {@code MALLOC_ARENA_MAX=2}, unless the user set
     * it. glibc gives each thread that allocates an arena of its own (up to 8 per core); SQLite's caches
     * and the JVM's own allocations spread over them left several MB resident and unused.
     */
    static Map<String, String> environment() {
        String set = System.getenv("MALLOC_ARENA_MAX");
        return set == null || set.isBlank() ? Map.of("MALLOC_ARENA_MAX", "2") : Map.of();
    }

    /**
     * {@code -XX:SharedArchiveFile} when the archive is valid for {@code jar}; else {@code
     * -XX:ArchiveClassesAtExit} for the one server that claims the recording for this build of the jar
     * (a claim file, taken atomically, names the jar and its time; it lapses after {@link #CLAIM_MILLIS},
     * in case that server never exits normally); else nothing. So servers started together (tests, a
     * default and a named one) do not all spend seconds writing the same archive when they stop. The
     * files are in {@code dir}: beside the jar, or the user's {@link #privateDir} (null: none).
     */
    static List<String> archive(Path jar, Path dir) {
        if (dir == null) return List.of();
        Path archive = dir.resolve(ARCHIVE);
        Path recordedFor = dir.resolve(ARCHIVE + ".jar");
        Path claim = dir.resolve(ARCHIVE + ".claim");
        try {
            if (newerThan(archive, jar)
                    && Files.isRegularFile(recordedFor)
                    && Files.readString(recordedFor, StandardCharsets.UTF_8).equals(jar.toString())) {
                return List.of("-XX:SharedArchiveFile=" + archive);
            }
            if (!Files.isWritable(dir)) return List.of();
            String build = jar + " " + Files.getLastModifiedTime(jar).toMillis();
            if (Files.isRegularFile(claim)) {
                boolean current = Files.readString(claim, StandardCharsets.UTF_8)
                                .equals(build)
                        && System.currentTimeMillis()
                                        - Files.getLastModifiedTime(claim).toMillis()
                                < CLAIM_MILLIS;
                if (current) return List.of(); // another server records it
                Files.deleteIfExists(claim);
            }
            try {
                Files.writeString(claim, build, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            } catch (FileAlreadyExistsException raced) {
                return List.of();
            }
            Files.deleteIfExists(archive);
            Files.writeString(recordedFor, jar.toString(), StandardCharsets.UTF_8);
            return List.of("-XX:ArchiveClassesAtExit=" + archive);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /**
     * {@code -Dorg.sqlite.lib.path/name/tmpdir} of the library extracted next to {@code jar}, or where its
     * folder is not writable into the user's {@link #privateDir} in {@code stateDir}, extracting it first;
     * nothing when neither can be had (sqlite-jdbc then extracts it to the temporary directory itself).
     */
    static List<String> sqliteLibrary(Path jar, Path stateDir) {
        try {
            String name = org.sqlite.util.LibraryLoaderUtil.getNativeLibName();
            String platform = platform(System.getProperty("os.name")) + "-" + platform(System.getProperty("os.arch"));
            Path dir;
            if (besideJar(jar)) {
                dir = jar.resolveSibling(NATIVE).resolve(platform);
            } else if (stateDir != null) {
                dir = privateDir(stateDir, "sqlite-" + platform(org.sqlite.SQLiteJDBCLoader.getVersion()), platform);
                if (dir == null) return List.of();
            } else {
                return List.of();
            }
            Path lib = dir.resolve(name);
            if (!newerThan(lib, jar)) {
                String resource = org.sqlite.util.LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name;
                try (InputStream in = ChildJvm.class.getResourceAsStream(resource)) {
                    if (in == null) return List.of(); // no library for this platform in the jar: sqlite-jdbc decides
                    Files.createDirectories(dir);
                    Path tmp = Files.createTempFile(dir, name, ".tmp");
                    try {
                        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                        Files.move(tmp, lib, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    } finally {
                        Files.deleteIfExists(tmp);
                    }
                }
            }
            // org.sqlite.tmpdir: where sqlite-jdbc lists stale copies of its library to delete at every start
            // (and would extract one if this one failed to load). The default, java.io.tmpdir, is shared with
            // every program, so the listing's cost grew with what others left there.
            return List.of(
                    "-Dorg.sqlite.lib.path=" + dir, "-Dorg.sqlite.lib.name=" + name, "-Dorg.sqlite.tmpdir=" + dir);
        } catch (IOException | RuntimeException | LinkageError e) {
            return List.of();
        }
    }

    private static boolean newerThan(Path file, Path jar) throws IOException {
        return Files.isRegularFile(file)
                && Files.getLastModifiedTime(file).compareTo(Files.getLastModifiedTime(jar)) > 0;
    }

    private static String platform(String value) {
        return value == null ? "unknown" : value.replaceAll("[^A-Za-z0-9_.]", "_");
    }
}
