package dev.solo.cli.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.solo.testing.AotJdk;
import dev.solo.testing.Finished;
import dev.solo.testing.OtherUser;
import dev.solo.testing.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An installation of the launcher and jar that belongs to one account (here root, which ran it once, as
 * an installer does) and is used by another ({@code nobody}, through {@code setpriv}), which cannot write
 * to the jar's folder: that user's monitor loads SQLite's library from a copy in its own state directory,
 * extracted once (not from {@code /tmp}, again at every start), keeps its class-data archive (JDK 25+: its AOT
 * cache) there too,
 * and leaves the installation as it was. When the sources there are newer than the jar, the launcher runs
 * the jar as it is rather than build where it cannot.
 */
@Timeout(value = 480, unit = TimeUnit.SECONDS)
class SharedInstallIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** JDK 25+: the AOT training after the first start, a server's life and a cache dump at low priority. */
    private static final Duration TRAINING = Duration.ofSeconds(240);

    @TempDir
    Path dir;

    private final List<ProcessHandle> monitors = new ArrayList<>();

    @AfterEach
    void stopMonitors() {
        for (ProcessHandle h : monitors) h.destroyForcibly();
        // JDK 25+: an AOT training still running (its JVMs name the installation or the user's state)
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(dir.toString()))
                .forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void anotherAccountKeepsSqlitesLibraryAndTheArchiveInItsOwnStateDirectory() throws Exception {
        Path launcher = install();
        Path install = launcher.getParent();
        List<String> installedFiles = list(install);

        Path user = Files.createDirectories(dir.resolve("user"));
        Files.setAttribute(user, "unix:uid", OtherUser.NOBODY_UID);
        Path state = user.resolve("state");
        int port = Ports.free();
        Finished started = runAsNobody(launcher, user, state, "monitor", "--port", Integer.toString(port));
        assertThat(started.exit()).as(started.out() + started.err()).isZero();
        ProcessHandle child = childOf(install);
        String cmdline = child.info().commandLine().orElse("");

        Path lib = sqliteLibraryMappedBy(child);
        assertThat(lib.toString())
                .as("SQLite's library, as the monitor mapped it")
                .startsWith(state.resolve("jvm/sqlite-").toString());
        assertThat(cmdline).contains("-Dorg.sqlite.tmpdir=" + lib.getParent());
        for (Path p = lib.getParent(); !p.equals(state); p = p.getParent()) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
                    .as(p.toString())
                    .isEqualTo("rwx------");
            assertThat(Files.getAttribute(p, "unix:uid")).isEqualTo(OtherUser.NOBODY_UID);
        }
        FileTime extracted = Files.getLastModifiedTime(lib);
        // JDK 17 to 24: the class-data archive the first server records at its exit; 25+: the AOT cache the
        // launcher trains in the background after the first start. Either in the user's own state directory.
        boolean aot = Runtime.version().feature() >= AotJdk.FIRST;
        Path jvm = state.resolve("jvm");
        Path archive = jvm.resolve(aot ? "solo-monitor.aot" : "solo-monitor.jsa");
        if (aot) {
            assertThat(cmdline).doesNotContain("-XX:AOTCache", "Archive");
            await().atMost(TRAINING)
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> Files.exists(jvm.resolve("solo-monitor.aot.stamp"))
                            && !Files.exists(jvm.resolve("solo-monitor.aot.claim")));
        } else {
            assertThat(cmdline).contains("-XX:ArchiveClassesAtExit=" + archive);
        }

        Finished stopped = runAsNobody(launcher, user, state, "monitor", "stop", "--port", Integer.toString(port));
        assertThat(stopped.exit()).as(stopped.out() + stopped.err()).isZero();
        child.onExit().get(60, TimeUnit.SECONDS);
        assertThat(Files.readString(state.resolve("logs/monitor-port-" + port + ".log")))
                .as("the JVM's archive lines are kept out of the monitor's log")
                .doesNotContain("[cds]", "[warning]", "[aot]");
        assertThat(archive)
                .as(aot ? "trained" : "recorded when the first server exited")
                .isRegularFile();
        assertThat(Files.getAttribute(archive, "unix:uid")).isEqualTo(OtherUser.NOBODY_UID);

        Finished again = runAsNobody(launcher, user, state, "monitor", "--port", Integer.toString(port));
        assertThat(again.exit()).as(again.out() + again.err()).isZero();
        ProcessHandle second = childOf(install);
        assertThat(second.info().commandLine().orElse(""))
                .contains((aot ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + archive);
        assertThat(sqliteLibraryMappedBy(second)).isEqualTo(lib);
        assertThat(Files.getLastModifiedTime(lib))
                .as("extracted once, not at every start")
                .isEqualTo(extracted);
        assertThat(list(install)).as("the installation is as its owner left it").isEqualTo(installedFiles);
    }

    @Test
    void aStaleJarTheUserCannotRebuildRunsAsItIsAndWithoutOneTheLauncherSaysWhomToAsk() throws Exception {
        Path launcher = install();
        Path install = launcher.getParent();
        Path pom = Files.writeString(install.resolve("pom.xml"), "<project/>"); // the owner pulled, say
        Files.setLastModifiedTime(pom, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        Path user = Files.createDirectories(dir.resolve("user"));
        Files.setAttribute(user, "unix:uid", OtherUser.NOBODY_UID);
        Path state = user.resolve("state");
        int port = Ports.free();

        Finished stale = runAsNobody(launcher, user, state, "monitor", "status", "--port", Integer.toString(port));
        assertThat(stale.exit()).as(stale.err()).isEqualTo(3);
        assertThat(stale.out()).isEqualTo("solo monitor is not running on port " + port + ".\n");
        assertThat(stale.err())
                .isEqualTo("solo: " + install.resolve("cli/target/solo.jar") + " is older than the sources in "
                        + install + ", which you cannot write to; running it as it is. Its owner updates it with '"
                        + launcher + " --version'.\n");

        Files.delete(install.resolve("cli/target/solo.jar"));
        Finished none = runAsNobody(launcher, user, state, "monitor", "status", "--port", Integer.toString(port));
        assertThat(none.exit()).as(none.err()).isEqualTo(1);
        assertThat(none.out()).isEmpty();
        assertThat(none.err())
                .isEqualTo("solo: there is no " + install.resolve("cli/target/solo.jar") + ", and you cannot write to "
                        + install.resolve("cli/target") + " to build it. Ask the owner of " + install + " to run '"
                        + launcher + " --version' once, or clone a copy of your own.\n");
    }

    /**
     * A copy of the launcher and this build's jar in {@code dir/install}, root's and not writable by others,
     * run once by its owner as an installer does (which records the launcher's archives); the launcher.
     */
    private Path install() throws Exception {
        OtherUser.assume();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        Path install = Files.createDirectories(dir.resolve("install"));
        Path target = Files.createDirectories(install.resolve("cli/target"));
        Path launcher = Files.copy(LauncherIT.LAUNCHER, install.resolve("solo"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(LauncherIT.LAUNCHER.resolveSibling("cli/target/solo.jar"), target.resolve("solo.jar"));
        for (Path p : List.of(install, install.resolve("cli"), target)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Finished installed = run(List.of(launcher.toString(), "--version"), install);
        assertThat(installed.exit()).as(installed.err()).isZero();
        return launcher;
    }

    /** The live monitor child started from {@code install}'s jar. */
    private ProcessHandle childOf(Path install) {
        String jar = install.resolve("cli/target/solo.jar").toString();
        Optional<ProcessHandle> found = ProcessHandle.allProcesses()
                .map(h -> Map.entry(h, h.info().commandLine().orElse("")))
                .filter(h -> h.getValue().contains("-cp " + jar + " dev.solo.cli.monitor.ChildMain"))
                .filter(h -> !h.getValue().contains("-XX:AOTCacheOutput")) // JDK 25+: the training's server
                .map(Map.Entry::getKey)
                .findFirst();
        assertThat(found).as("a monitor child of " + jar).isPresent();
        monitors.add(found.get());
        return found.get();
    }

    private static Path sqliteLibraryMappedBy(ProcessHandle h) throws Exception {
        Path maps = Path.of("/proc", Long.toString(h.pid()), "maps");
        await().atMost(WAIT).until(() -> Files.readString(maps).contains("sqlitejdbc"));
        try (Stream<String> lines = Files.lines(maps)) {
            String line =
                    lines.filter(l -> l.contains("sqlitejdbc")).findFirst().orElseThrow();
            return Path.of(line.substring(line.indexOf('/')));
        }
    }

    private Finished runAsNobody(Path launcher, Path user, Path state, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(OtherUser.as(cmd)).directory(user.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home")); // this JDK decides archive or cache
        pb.environment().put("HOME", user.toString());
        pb.environment().put("SOLO_HOME", state.toString());
        pb.environment().remove("SOLO_NO_BUILD"); // the copy has no sources, unless a test adds some
        pb.environment().remove("SOLO_REBUILD");
        pb.environment().put("SOLO_NO_BROWSER", "1");
        pb.environment().remove("CLAUDE_CONFIG_DIR");
        return Finished.run(pb, WAIT, "solo " + String.join(" ", args) + " as nobody");
    }

    private Finished run(List<String> cmd, Path cwd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("SOLO_NO_BUILD", "1");
        pb.environment()
                .put("HOME", Files.createDirectories(dir.resolve("installer")).toString());
        pb.environment().put("SOLO_HOME", dir.resolve("installer/state").toString());
        return Finished.run(pb, WAIT, String.join(" ", cmd));
    }

    private static List<String> list(Path root) throws Exception {
        try (Stream<Path> all = Files.walk(root)) {
            return all.map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }
}
