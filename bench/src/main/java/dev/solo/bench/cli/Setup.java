package dev.solo.bench.cli;

import dev.solo.ocr.testing.ScreenCorpus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * What the thin-client benchmark runs against, in one temporary directory: a copy of the launcher and
 * the jar (the launcher records its CDS archive on its first run, as for a user), a private state
 * directory and home, a monitor and a warm OCR resident started through the launcher on free ports
 * (20000-32699, never 8765 or 49500-49550), a compiled {@code Hello}, and the twenty screen images of
 * the OCR benchmarks as files. {@link #close()} stops both residents and deletes everything.
 */
final class Setup implements AutoCloseable {
    /** The launcher's JVM flags, without its archive: the baseline runs with them. */
    static final List<String> LAUNCHER_FLAGS =
            List.of("-Xshare:auto", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData");
    /** The launcher's flags for its lean commands (interpreter only, G1 with a small heap), without its archive. */
    static final List<String> LEAN_FLAGS =
            List.of("-Xshare:auto", "-XX:+UseG1GC", "-Xmx128m", "-XX:TieredStopAtLevel=0", "-XX:-UsePerfData");

    final Path dir;
    final Path scratch;
    final Map<String, String> env;
    final int monitorPort;
    final int ocrPort;
    /** The java every command runs: {@code JAVA_HOME/bin/java} of {@code --java}, else the one on PATH. */
    final String java;

    private Process ocr;

    private Setup(Path dir, int monitorPort, int ocrPort, Path javaHome) throws IOException {
        this.dir = dir;
        this.java = javaHome == null ? "java" : javaHome.resolve("bin/java").toString();
        this.scratch = Files.createDirectories(dir.resolve("scratch"));
        this.monitorPort = monitorPort;
        this.ocrPort = ocrPort;
        Path home = Files.createDirectories(dir.resolve("home"));
        env = new HashMap<>(System.getenv());
        env.remove("DISPLAY");
        env.remove("SOLO_OCR_ENV");
        env.remove("JAVA_TOOL_OPTIONS");
        if (javaHome != null) env.put("JAVA_HOME", javaHome.toString());
        else env.remove("JAVA_HOME");
        env.put("SOLO_HOME", home.toString());
        env.put("HOME", home.toString());
        env.put("SOLO_MONITOR_PORT", Integer.toString(monitorPort));
        env.put("SOLO_NO_BROWSER", "1");
        env.put("SINGLEINSTANCE_PORT_START", Integer.toString(ocrPort));
        env.put("SINGLEINSTANCE_PORT_END", Integer.toString(ocrPort));
    }

    /**
     * Copies {@code repo/solo} and {@code repo/cli/target/solo.jar} (and {@code other}, a second launcher,
     * with the same jar, when not null) and compiles Hello; starts nothing yet. Every JVM runs on {@code
     * javaHome} (null: the {@code java} on PATH).
     */
    static Setup create(Path repo, Path other, Path javaHome) throws IOException {
        Path launcher = repo.resolve("solo");
        Path jar = repo.resolve("cli/target/solo.jar");
        if (!Files.isRegularFile(launcher) || !Files.isRegularFile(jar)) {
            throw new IOException("no " + launcher + " or no " + jar + "; run from the repository root after"
                    + " './mvnw -q -pl cli,bench -am package -DskipTests'");
        }
        Path dir = Files.createTempDirectory("solo-thin-bench-");
        Files.createDirectories(dir.resolve("cli/target"));
        Files.copy(launcher, dir.resolve("solo"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(jar, dir.resolve("cli/target/solo.jar"), StandardCopyOption.COPY_ATTRIBUTES);
        copyCheckout(repo, dir.resolve("checkout"));
        if (other != null) {
            Files.createDirectories(dir.resolve("other/cli/target"));
            Files.copy(other, dir.resolve("other/solo"), StandardCopyOption.COPY_ATTRIBUTES);
            Files.copy(jar, dir.resolve("other/cli/target/solo.jar"), StandardCopyOption.COPY_ATTRIBUTES);
        }
        Random random = new Random();
        int monitor = freePort(random, -1);
        Setup s = new Setup(dir, monitor, freePort(random, monitor), javaHome);
        s.compileHello();
        return s;
    }

    Path launcher() {
        return dir.resolve("solo");
    }

    Path jar() {
        return dir.resolve("cli/target/solo.jar");
    }

    Path archive() {
        return dir.resolve("cli/target/solo.jsa");
    }

    /** The launcher's archive for its lean commands (a static one, of their classes only). */
    Path leanArchive() {
        return dir.resolve("cli/target/solo-lean.jsa");
    }

    /** The launcher's ahead-of-time cache for its lean commands, made in place of both archives on JDK 24+. */
    Path leanCache() {
        return dir.resolve("cli/target/solo-lean.aot");
    }

    /** True when the launcher made ahead-of-time caches (a JDK 24 or later) rather than CDS archives. */
    boolean aot() {
        return Files.isRegularFile(leanCache());
    }

    /** The second launcher's copy ({@code --other-launcher}), with its own copy of the jar. */
    List<String> other(String... args) {
        List<String> cmd = new ArrayList<>(List.of(dir.resolve("other/solo").toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    boolean hasOther() {
        return Files.isRegularFile(dir.resolve("other/solo"));
    }

    /** {@code java <flags> -cp DIR Hello}. */
    List<String> hello(List<String> flags) {
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(flags);
        cmd.addAll(List.of("-cp", dir.resolve("hello").toString(), "Hello"));
        return cmd;
    }

    /** The launcher's own {@code java} line (its archive and flags) with {@code extra} JVM options, then args. */
    List<String> javaLine(List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-Dsolo.launcher=" + launcher(), "-cp", jar().toString(), "dev.solo.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** The launcher's flags with its archive (its cache on a JDK 24+, which excludes -Xshare). */
    List<String> launcherOptions() {
        return withArchive(archive(), dir.resolve("cli/target/solo.aot"), LAUNCHER_FLAGS);
    }

    /** The launcher's flags for its lean commands, with their archive (or cache) and the lean marker. */
    List<String> leanOptions() {
        List<String> o = withArchive(leanArchive(), leanCache(), LEAN_FLAGS);
        o.add("-Dsolo.lean=true");
        return o;
    }

    private List<String> withArchive(Path archive, Path cache, List<String> flags) {
        if (!aot()) {
            List<String> o = new ArrayList<>(List.of("-XX:SharedArchiveFile=" + archive));
            o.addAll(flags);
            return o;
        }
        List<String> o = new ArrayList<>(List.of("-XX:AOTCache=" + cache, "-Xlog:aot*=off"));
        for (String f : flags) if (!f.startsWith("-Xshare")) o.add(f);
        return o;
    }

    /** The lean line before the lean archive: the general archive (on the JDK's base one) and SerialGC. */
    List<String> roundThreeLeanOptions() {
        return List.of(
                "-XX:SharedArchiveFile=" + archive(),
                "-Xshare:auto",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=0",
                "-XX:-UsePerfData",
                "-Dsolo.lean=true");
    }

    List<String> solo(String... args) {
        List<String> cmd = new ArrayList<>(List.of(launcher().toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * The launcher of a copy of the repository's checkout (its POMs and main sources, older than its jar):
     * the launcher there checks the sources for changes on every run, as in a developer's checkout.
     */
    List<String> soloInCheckout(String... args) {
        List<String> cmd = new ArrayList<>(List.of(dir.resolve("checkout/solo").toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * The launcher, the POMs and the four modules' {@code src/main} of {@code repo}, and its jar, made
     * newer than every source: nothing to rebuild.
     */
    private static void copyCheckout(Path repo, Path to) throws IOException {
        Files.createDirectories(to.resolve("cli/target"));
        Files.copy(repo.resolve("solo"), to.resolve("solo"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(repo.resolve("pom.xml"), to.resolve("pom.xml"), StandardCopyOption.COPY_ATTRIBUTES);
        for (String m : List.of("core", "monitor", "ocr", "cli")) {
            Files.createDirectories(to.resolve(m));
            Files.copy(repo.resolve(m + "/pom.xml"), to.resolve(m + "/pom.xml"), StandardCopyOption.COPY_ATTRIBUTES);
            Path src = repo.resolve(m + "/src/main");
            try (Stream<Path> files = Files.walk(src)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Path t = to.resolve(m + "/src/main")
                            .resolve(src.relativize(f).toString());
                    if (Files.isDirectory(f)) Files.createDirectories(t);
                    else Files.copy(f, t, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        // copied last and with the time of the copy, so newer than every source copied before it
        Files.copy(repo.resolve("cli/target/solo.jar"), to.resolve("cli/target/solo.jar"));
    }

    /** Runs both launchers once (each records its CDS archive) and starts the monitor. */
    void startMonitor() throws IOException, InterruptedException {
        Timed first = Timed.run(solo("--version"), env, scratch);
        boolean archives = Files.isRegularFile(archive()) && Files.isRegularFile(leanArchive());
        if (first.exit() != 0 || !(archives || aot())) {
            throw new IOException("the launcher's first run recorded no CDS archive or AOT cache: " + first.output());
        }
        Path made = dir.resolve(aot() ? "checkout/cli/target/solo.aot" : "checkout/cli/target/solo.jsa");
        Timed checkout = Timed.run(soloInCheckout("--version"), env, scratch);
        if (checkout.exit() != 0 || !Files.isRegularFile(made)) {
            throw new IOException("the checkout's launcher recorded no " + made + ": " + checkout.output());
        }
        if (hasOther()) {
            Timed other = Timed.run(other("--version"), env, scratch);
            if (other.exit() != 0) throw new IOException("the other launcher failed: " + other.output());
        }
        Timed start = Timed.run(solo("monitor", "--no-browser"), env, scratch);
        if (start.exit() != 0 || !start.output().contains("Monitor running on port " + monitorPort)) {
            throw new IOException("solo monitor did not start (exit " + start.exit() + "): " + start.output());
        }
    }

    /** Starts {@code solo ocr} (headless) through the launcher; returns once it serves. */
    void startOcr() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(solo("ocr")).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        ocr = pb.start();
        BufferedReader r = new BufferedReader(new InputStreamReader(ocr.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String line;
        while ((line = r.readLine()) != null) {
            if (line.startsWith("solo ocr running on port")) {
                Thread drain = new Thread(() -> drain(r), "bench-ocr-output");
                drain.setDaemon(true);
                drain.start();
                return;
            }
            if (System.nanoTime() > deadline) break;
        }
        ocr.destroyForcibly();
        throw new IOException("the solo ocr resident did not start within 120 s");
    }

    /** The screen images, written as files. */
    List<Path> images() throws IOException {
        Path d = Files.createDirectories(dir.resolve("images"));
        List<Path> files = new ArrayList<>();
        for (ScreenCorpus.Sample s : ScreenCorpus.samples()) {
            files.add(Files.write(d.resolve(s.name() + "." + s.format()), s.encoded()));
        }
        return files;
    }

    private static void drain(BufferedReader r) {
        try {
            while (r.readLine() != null) {
                // the resident's log is not part of the figures
            }
        } catch (IOException closed) {
            // the resident stopped
        }
    }

    /**
     * {@code java <flags> -cp floor.jar UnixConnect SOCKET}: a JVM that only connects to the monitor's same-user
     * socket and closes it, with an archive of its own classes made as the launcher makes the lean one
     * ({@link #recordFloorArchive}): the JDK's floor for any client of that socket.
     */
    List<String> unixConnect(List<String> flags) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:SharedArchiveFile=" + dir.resolve("floor.jsa")));
        cmd.addAll(flags);
        cmd.addAll(List.of(
                "-cp",
                dir.resolve("floor.jar").toString(),
                "UnixConnect",
                monitorSocket().toString()));
        return cmd;
    }

    /**
     * Records the archive of {@link #unixConnect} as the launcher records its lean one: the class list of one
     * run, then a static archive of those classes dumped with the lean JVM's collector and heap limit.
     */
    void recordFloorArchive() throws IOException, InterruptedException {
        Path classes = dir.resolve("floor.classlist");
        List<String> run = new ArrayList<>(List.of(java, "-XX:DumpLoadedClassList=" + classes));
        run.addAll(LEAN_FLAGS);
        run.addAll(List.of(
                "-cp",
                dir.resolve("floor.jar").toString(),
                "UnixConnect",
                monitorSocket().toString()));
        Timed listed = Timed.run(run, env, scratch);
        if (listed.exit() != 0 || !Files.isRegularFile(classes)) {
            throw new IOException("UnixConnect listed no classes (exit " + listed.exit() + "): " + listed.output());
        }
        Timed dumped = Timed.run(
                List.of(
                        java,
                        "-Xshare:dump",
                        "-XX:+UseG1GC",
                        "-Xmx128m",
                        "-XX:SharedClassListFile=" + classes,
                        "-XX:SharedArchiveFile=" + dir.resolve("floor.jsa"),
                        "-cp",
                        dir.resolve("floor.jar").toString()),
                env,
                scratch);
        if (dumped.exit() != 0 || !Files.isRegularFile(dir.resolve("floor.jsa"))) {
            throw new IOException(
                    "UnixConnect's archive was not dumped (exit " + dumped.exit() + "): " + dumped.output());
        }
    }

    /** The monitor's same-user socket: in {@code $XDG_RUNTIME_DIR/solo}, else in the state directory's run/. */
    private Path monitorSocket() throws IOException {
        String name = "solo-monitor-p" + monitorPort + ".sock";
        String xdg = env.get("XDG_RUNTIME_DIR");
        for (Path p : List.of(
                xdg == null || xdg.isEmpty() ? Path.of(env.get("SOLO_HOME"), "run", name) : Path.of(xdg, "solo", name),
                Path.of(env.get("SOLO_HOME"), "run", name))) {
            if (Files.exists(p)) return p;
        }
        throw new IOException("the monitor's socket " + name + " is in neither $XDG_RUNTIME_DIR/solo nor "
                + env.get("SOLO_HOME") + "/run");
    }

    private void compileHello() throws IOException {
        Path d = Files.createDirectories(dir.resolve("hello"));
        Path src = Files.writeString(
                d.resolve("Hello.java"),
                "public class Hello { public static void main(String[] a) { System.out.println(\"hello\"); } }\n");
        Path connect = Files.writeString(
                d.resolve("UnixConnect.java"),
                "import java.net.*; import java.nio.channels.*;\n"
                        + "public class UnixConnect { public static void main(String[] a) throws Exception {\n"
                        + "  try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {\n"
                        + "    ch.connect(UnixDomainSocketAddress.of(a[0])); }\n"
                        + "  System.out.println(\"connected\"); } }\n");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) throw new IOException("no Java compiler in this runtime; run the benchmark on a JDK");
        if (javac.run(null, null, null, "-d", d.toString(), src.toString(), connect.toString()) != 0) {
            throw new IOException("cannot compile " + src + " and " + connect);
        }
        // in a jar: class-data sharing archives no class from a directory
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(dir.resolve("floor.jar")))) {
            jar.putNextEntry(new JarEntry("UnixConnect.class"));
            jar.write(Files.readAllBytes(d.resolve("UnixConnect.class")));
            jar.closeEntry();
        }
    }

    /**
     * A port in 20000-32699 (or in {@code -Dsolo.bench.ports=FIRST-LAST}, for a machine shared by several
     * runs) that binds on 127.0.0.1 now, other than {@code not}.
     */
    private static int freePort(Random random, int not) throws IOException {
        String[] range = System.getProperty("solo.bench.ports", "20000-32699").split("-");
        int first = Integer.parseInt(range[0]);
        int count = Integer.parseInt(range[1]) - first + 1;
        for (int i = 0; i < 200; i++) {
            int p = first + random.nextInt(count);
            if (p == not) continue;
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), p));
                return p;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port in " + first + "-" + (first + count - 1) + " after 200 tries");
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            Timed.run(solo("monitor", "stop"), env, scratch);
        } finally {
            if (ocr != null) {
                ocr.destroy();
                if (!ocr.waitFor(15, TimeUnit.SECONDS)) ocr.destroyForcibly();
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
