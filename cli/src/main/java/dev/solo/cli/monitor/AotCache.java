package dev.solo.cli.monitor;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The monitor server's ahead-of-time cache ({@value #CACHE}, JEP 483/514/515), used instead of {@link
 * ChildJvm#ARCHIVE} when the server runs on JDK {@value #FIRST_FEATURE} or newer: the server's classes loaded
 * and linked, and the JDK's own start-up state, so that a start maps them instead of doing that work.
 *
 * <p>The child runs on the {@code java} of the process that starts it ({@link Launcher#javaCommand()}), so
 * its version is this JVM's ({@link Runtime#version()}), known without starting a process. JDK 24 has the
 * cache too, but only with a separate creation step; it keeps the class-data archive.
 *
 * <p><b>When a cache is used.</b> The JVM checks a cache against its own build and the class path's
 * names, but not against a jar rebuilt in place: it would serve the old jar's classes. So a cache is used
 * only when its stamp ({@value #CACHE}{@code .stamp}, written after the cache was checked) names this jar's
 * path, time and size, this JDK's home and build, and the cache's own size ({@link #build}); anything else
 * (another jar, a moved or rebuilt one, another JDK, a truncated or planted file) is left unused and
 * trained again. Placement and trust are {@link ChildJvm}'s: beside the jar only where that folder is this
 * user's alone ({@link JarSide}), else the user's private {@link ChildJvm#privateDir}.
 *
 * <p><b>How a cache is made.</b> Not by the user's server at its exit: with {@code -XX:AOTCacheOutput} the
 * JVM writes the cache when it exits, which cost the first {@code solo monitor stop} 12 s of waiting and 5.6
 * s of CPU (docs/benchmarks.md), longer than {@code stop} waits, and a server that never exits normally
 * (a reboot) never writes one. Instead, once a server of ours answered, the launcher that started it
 * claims the training (one per jar build and JDK; the claim lapses after {@link ChildJvm#CLAIM_MILLIS}) and
 * starts {@link AotTraining} in the background, at a lower priority: a server of its own, in a temporary
 * state directory on a free port, that takes hooks and dashboard requests and then stops, so that the JVM
 * writes the cache. Until it is in place, servers start without one.
 */
final class AotCache {
    static final String CACHE = "solo-monitor.aot";
    static final String STAMP = CACHE + ".stamp";
    static final String CLAIM = CACHE + ".claim";
    static final String LOG = CACHE + ".log";
    static final int FIRST_FEATURE = 25;

    private AotCache() {}

    /** Whether the child of this process runs with an AOT cache rather than a class-data archive. */
    static boolean applies() {
        return Runtime.version().feature() >= FIRST_FEATURE;
    }

    /**
     * The options every server on such a JDK gets besides {@link ChildJvm}'s own (which include native
     * access for sqlite-jdbc from JDK {@value ChildJvm#NATIVE_ACCESS_FEATURE} on): no AOT or CDS log lines on stdout,
     * which is the monitor's log (a cache that does not fit says so there otherwise), and, for the full
     * collections {@link OldGenGuard} asks for, a heap given back at once and down to 40 % free rather than
     * in steps down to 70 %. With the guard, RSS at 0 / 100,000 / 1,000,000 events was 97-104 / 106-108 /
     * 102-108 MB, against 104-112 / 120-173 / 191-207 MB without (docs/benchmarks.md, "Footprint on JDK 25:
     * the old generation").
     *
     * <p>{@code -XX:TrimNativeHeapInterval=1000}: every second the JVM gives glibc's free malloc memory back
     * ({@code malloc_trim}, 0.3-0.9 ms each). JDK 25 mallocs more than 17 (compiled methods' relocation data,
     * which 17 kept in the code cache, and the compiler's arenas): without it that memory stayed resident after
     * a burst of requests, 5-6 MB more than with it (docs/benchmarks.md, "JDK 25's extra megabytes at 0
     * events"). JDK 17's servers are left as they were.
     */
    static List<String> runtimeOptions() {
        return List.of(
                "-Xlog:aot*=off,cds*=off",
                "-XX:-ShrinkHeapInSteps",
                "-XX:MaxHeapFreeRatio=40",
                "-XX:TrimNativeHeapInterval=1000");
    }

    /** What a fitting cache was made for: the jar (path, time, size) and this JDK (home, build). */
    static String build(Path jar) throws IOException {
        return jar.toAbsolutePath() + " " + Files.getLastModifiedTime(jar).toMillis() + " " + Files.size(jar) + " "
                + System.getProperty("java.home") + " " + System.getProperty("java.vm.version");
    }

    /** Whether {@code dir} holds a cache whose stamp says it fits {@code jar} on this JDK. */
    static boolean fits(Path jar, Path dir) {
        if (dir == null) return false;
        Path cache = dir.resolve(CACHE);
        Path stamp = dir.resolve(STAMP);
        try {
            return Files.isRegularFile(cache)
                    && Files.isRegularFile(stamp)
                    && Files.readString(stamp, StandardCharsets.UTF_8).equals(stampOf(jar, cache));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The stamp's text for {@code cache} made over {@code jar}: {@link #build} and the cache's size. */
    static String stampOf(Path jar, Path cache) throws IOException {
        return build(jar) + "\n" + Files.size(cache) + "\n";
    }

    /**
     * The cache to use for {@code jar}: beside it where that folder is trusted and the cache fits, else in
     * the user's private directory below {@code stateDir} (null: none) where the jar's folder is not ours to
     * write; null when there is none that fits.
     */
    static Path find(Path jar, Path stateDir) {
        if (JarSide.trusted(jar) && fits(jar, jar.getParent()))
            return jar.getParent().resolve(CACHE);
        if (ChildJvm.besideJar(jar) || stateDir == null) return null;
        Path own = ChildJvm.privateDir(stateDir);
        return fits(jar, own) ? own.resolve(CACHE) : null;
    }

    /** {@code -XX:AOTCache=} of {@link #find}, or nothing. */
    static List<String> options(Path jar, Path stateDir) {
        Path cache = find(jar, stateDir);
        return cache == null ? List.of() : List.of("-XX:AOTCache=" + cache);
    }

    /**
     * After a server of ours answered: when {@code classPath} is one jar, no cache fits it and this
     * process wins the claim, starts {@link AotTraining} in the background and returns at once. Returns
     * the process, or null when nothing was started. Failures only cost the cache.
     */
    static Process trainInBackground(String classPath, Path stateDir) {
        if (!applies() || classPath == null || !classPath.endsWith(".jar") || classPath.contains(File.pathSeparator))
            return null;
        Path jar = Path.of(classPath).toAbsolutePath();
        if (find(jar, stateDir) != null) return null;
        Path dir = ChildJvm.besideJar(jar) ? jar.getParent() : stateDir == null ? null : ChildJvm.privateDir(stateDir);
        try {
            if (dir == null || !claim(jar, dir)) return null;
            List<String> cmd = new ArrayList<>();
            Path nice = Path.of("/usr/bin/nice");
            if (Files.isExecutable(nice)) cmd.addAll(List.of(nice.toString(), "-n", "10")); // behind the user's work
            cmd.add(Launcher.javaBinary());
            cmd.addAll(List.of("-XX:+UseSerialGC", "-Xmx64m", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData"));
            cmd.addAll(List.of("-cp", jar.toString(), AotTraining.class.getName(), dir.toString()));
            Path log = dir.resolve(LOG);
            Files.deleteIfExists(log); // not a link another user left: the folder is ours alone
            return new ProcessBuilder(cmd)
                    .redirectInput(
                            ProcessBuilder.Redirect.from(new File(File.separatorChar == '\\' ? "NUL" : "/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Takes the claim to train the cache for {@code jar} in {@code dir}: a file made atomically that names
     * the build; a claim for another build, or older than {@link ChildJvm#CLAIM_MILLIS}, is taken over.
     */
    static boolean claim(Path jar, Path dir) throws IOException {
        Path claim = dir.resolve(CLAIM);
        String build = build(jar);
        if (Files.isRegularFile(claim)) {
            boolean current = Files.readString(claim, StandardCharsets.UTF_8).equals(build)
                    && System.currentTimeMillis()
                                    - Files.getLastModifiedTime(claim).toMillis()
                            < ChildJvm.CLAIM_MILLIS;
            if (current) return false; // another launcher's training runs
            Files.deleteIfExists(claim);
        }
        try {
            Files.writeString(claim, build, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            return true;
        } catch (FileAlreadyExistsException raced) {
            return false;
        }
    }

    /** Writes {@code cache}'s stamp for {@code jar} (write to a temporary file, then rename). */
    static void stamp(Path jar, Path cache) throws IOException {
        Path tmp = Files.createTempFile(cache.getParent(), STAMP, ".tmp");
        try {
            Files.writeString(tmp, stampOf(jar, cache), StandardCharsets.UTF_8);
            Files.move(
                    tmp,
                    cache.resolveSibling(STAMP),
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
