package dev.solo.cli.monitor;

import dev.solo.cli.monitor.service.ServiceManager;
import dev.solo.cli.monitor.service.ServiceSpec;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a service manager (systemd, launchd, Task Scheduler) runs: the same monitor server child that
 * {@link Launcher} starts, so the service is not a heavier monitor than {@code solo monitor} starts. The
 * same {@code java}, the same JVM options ({@link ChildJvm}: heap, compiler, no perf data, SQLite's
 * native library beside the jar, the class-data-sharing archive), the same entry point ({@link
 * ChildMain}) and the same environment ({@link ChildJvm#environment()}, which a service manager would
 * not inherit from the user's shell), with the state directory pinned ({@code -Dsolo.home}), because a
 * service manager starts it with an environment of its own.
 *
 * <p>One difference, on purpose: the unit never records the class-data-sharing archive ({@code
 * -XX:ArchiveClassesAtExit} is for one child per build, and a unit's command line lives for many builds).
 * It names the archive that the launcher's children record next to the jar ({@code
 * -XX:SharedArchiveFile}) when that file exists; a JVM given an archive of another build of the jar
 * checks it and runs without it, as it would with none.
 *
 * @param command the program and its arguments, up to and including {@code monitor --foreground
 *     --no-browser --port <port>}
 * @param environment variables to set, sorted by name
 */
record ServiceProgram(List<String> command, Map<String, String> environment) {
    ServiceProgram {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
        if (command.isEmpty()) throw new IllegalArgumentException("command is empty");
    }

    /**
     * The service manager of this OS for the monitor of {@code t} (a fixed port), or empty where solo has
     * none. Builds nothing on disk but SQLite's library beside the jar, or in the user's state directory
     * where the jar's folder is not writable ({@link ChildJvm#sqliteLibrary}).
     */
    static Optional<ServiceManager> manager(Target t) {
        ServiceProgram p = of(t);
        ServiceSpec spec = new ServiceSpec(
                t.port(), p.command(), p.environment(), t.registry().home(), t.log());
        return ServiceManager.forOs(System.getProperty("os.name", ""), spec, System.getenv(), userHome());
    }

    /**
     * The manager of {@code t}'s service when solo installed one ({@link ServiceManager#installed()}), for
     * {@code stop} and {@code restart}; empty for a named instance, an OS without one, or paths no service
     * file can carry (then there is no service of solo's either).
     */
    static Optional<ServiceManager> installed(Target t) {
        if (t.named()) return Optional.empty();
        try {
            return manager(t).filter(ServiceManager::installed);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** {@code $HOME}, else {@code user.home}: where the user's service files live. */
    private static Path userHome() {
        String home = System.getenv("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"));
    }

    /** The program for the monitor of {@code t} (a fixed port), run by this process's {@code java} and class path. */
    static ServiceProgram of(Target t) {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return of(t, java, System.getProperty("java.class.path"), System.getenv("MALLOC_ARENA_MAX"));
    }

    /**
     * The program for {@code t} run by {@code java} with {@code classPath}; {@code userArenas} is the
     * user's {@code MALLOC_ARENA_MAX} (kept when set, as the launcher's child inherits it), or null.
     */
    static ServiceProgram of(Target t, String java, String classPath, String userArenas) {
        if (t.named()) {
            throw new IllegalArgumentException("a service runs the monitor of a fixed port, not the named instance '"
                    + t.name() + "'; use --port");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.add("-D" + "solo.home=" + t.registry().home().toAbsolutePath());
        String ipv6 = System.getProperty("solo.ipv6");
        if (ipv6 != null) cmd.add("-Dsolo.ipv6=" + ipv6);
        cmd.addAll(jvmOptions(classPath, t.registry().home()));
        cmd.addAll(List.of("-cp", classPath, ChildMain.class.getName()));
        cmd.addAll(List.of("monitor", "--foreground", "--no-browser", "--port", Integer.toString(t.port())));
        Map<String, String> env = new TreeMap<>(ChildJvm.environment());
        if (userArenas != null && !userArenas.isBlank()) env.put("MALLOC_ARENA_MAX", userArenas);
        env.put("SOLO_MONITOR_CHILD", "1"); // as Launcher sets it for its child
        env.put("SOLO_HOME", t.registry().home().toAbsolutePath().toString());
        return new ServiceProgram(cmd, env);
    }

    /**
     * {@link ChildJvm#options} without the one-off recording of the archive: for a single jar, the
     * archive beside it when it exists (whether this build's or not: the JVM checks), else the one the
     * launcher's children record in {@code stateDir} where the jar's folder is not writable. On JDK 25+
     * neither: the JVM does not notice that a jar was rebuilt in place under its {@link AotCache} and would
     * serve the old build's classes, so only a launcher, which checks the cache's stamp at every start, names one.
     */
    static List<String> jvmOptions(String classPath, Path stateDir) {
        return jvmOptions(classPath, stateDir, Runtime.version().feature());
    }

    /** {@link #jvmOptions(String, Path)} for JDK {@code feature}: the AOT cache's kind (25+) or the archive's. */
    static List<String> jvmOptions(String classPath, Path stateDir, int feature) {
        boolean aot = feature >= AotCache.FIRST_FEATURE;
        // the options that do not depend on the jar
        List<String> out = new ArrayList<>(ChildJvm.options(null, null, feature));
        if (classPath == null || !classPath.endsWith(".jar") || classPath.contains(File.pathSeparator)) return out;
        Path jar = Path.of(classPath).toAbsolutePath();
        if (aot) { // JDK 25+: no AOT cache, see above
            out.addAll(ChildJvm.sqliteLibrary(jar, stateDir));
            return out;
        }
        // beside the jar only in a folder of this user's alone: another user could plant an archive there
        Path archive = JarSide.trusted(jar) ? jar.resolveSibling(ChildJvm.ARCHIVE) : null;
        if ((archive == null || !Files.isRegularFile(archive)) && !ChildJvm.besideJar(jar)) {
            Path own = ChildJvm.privateDir(stateDir);
            if (own != null) archive = own.resolve(ChildJvm.ARCHIVE);
        }
        if (archive != null && Files.isRegularFile(archive)) out.add("-XX:SharedArchiveFile=" + archive);
        out.addAll(ChildJvm.sqliteLibrary(jar, stateDir));
        return out;
    }
}
