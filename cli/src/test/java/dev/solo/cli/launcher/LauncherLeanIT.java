package dev.solo.cli.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.core.InstanceRecord;
import dev.solo.core.Registry;
import dev.solo.testing.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's two JVMs, through the real launcher and this build's jar with a private state directory:
 * the lean commands ({@code solo monitor} reuse, {@code solo monitor status}, {@code solo list}) run in
 * one interpreter-only JVM when it finishes them; a command such a JVM cannot finish (starting the
 * monitor, a value the lean start leaves to picocli) runs in a second JVM with the normal flags, printed
 * once and with its own exit code; every other command runs in one JVM with the normal flags. Every JVM prints its system properties on stderr ({@code JDK_JAVA_OPTIONS=-XshowSettings}), which
 * tells how many started and which was which.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LauncherLeanIT {
    @TempDir
    Path home;

    Path cwd;
    Map<String, String> env;
    int port;

    @BeforeEach
    void environment() throws Exception {
        port = Ports.free();
        cwd = Files.createDirectories(home.resolve("cwd"));
        env = new HashMap<>();
        env.put("SOLO_NO_BUILD", "1");
        env.put("SOLO_HOME", home.toString());
        env.put("HOME", Files.createDirectories(home.resolve("user")).toString());
        env.put("SOLO_MONITOR_PORT", Integer.toString(port));
        env.put("SOLO_NO_BROWSER", "1");
        env.put("JDK_JAVA_OPTIONS", "-XshowSettings:properties");
    }

    @AfterEach
    void killMonitors() {
        for (InstanceRecord r : Registry.at(home).records()) {
            ProcessHandle.of(r.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void statusWithoutAMonitorIsOneLeanJvm() throws Exception {
        Launch status = solo("monitor", "status");
        assertThat(status.exit()).as(status.err()).isEqualTo(3);
        assertThat(status.out()).isEqualTo("solo monitor is not running on port " + port + ".\n");
        assertThat(jvms(status)).hasSize(1).allMatch(LauncherLeanIT::lean);
    }

    @Test
    void otherFormsGoStraightToTheNormalFlagsAndOddValuesAreHandedOffOnce() throws Exception {
        Launch help = solo("monitor", "--help");
        assertThat(help.exit()).as(help.err()).isZero();
        assertThat(help.out()).startsWith("Usage: solo monitor");
        assertThat(jvms(help)).as("a form the lean start does not read").hasSize(1);
        assertThat(jvms(help).get(0)).doesNotContain("solo.lean").contains("java.vm.info = mixed mode");

        Launch usage = solo("monitor", "--no-such-option");
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(usage.err()).contains("Unknown option: '--no-such-option'");
        assertThat(jvms(usage)).hasSize(1).noneMatch(LauncherLeanIT::lean);

        // a lean form with a value the lean start leaves to picocli: the lean JVM hands it over
        Launch zero = solo("monitor", "--port", "0");
        assertThat(zero.exit())
                .as("the full command line's usage error and exit code")
                .isEqualTo(2);
        assertThat(zero.err().split("Error: ", -1)).as(zero.err()).hasSize(2);
        assertThat(zero.err()).contains("--port must be 1..65535, got 0.");
        List<String> jvms = jvms(zero);
        assertThat(jvms).hasSize(2);
        assertThat(lean(jvms.get(0))).as("the first JVM is lean").isTrue();
        assertThat(lean(jvms.get(1))).as("the second JVM has the normal flags").isFalse();
        assertThat(jvms.get(1)).contains("solo.fast = false").contains("java.vm.info = mixed mode");
    }

    @Test
    void theFirstStartIsHandedOffAndLaterRunsStayInOneLeanJvm() throws Exception {
        Launch start = solo("monitor", "--no-browser");
        assertThat(start.exit()).as(start.err()).isZero();
        assertThat(start.out()).contains("Monitor running on port " + port);
        assertThat(jvms(start))
                .as("a lean JVM that found no monitor, then the start")
                .hasSize(2);

        Launch reuse = solo("monitor", "--no-browser");
        assertThat(reuse.out()).isEqualTo("Monitor already running at http://localhost:" + port + "\n");
        assertThat(jvms(reuse)).hasSize(1).allMatch(LauncherLeanIT::lean);

        Launch status = solo("monitor", "status");
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.out()).startsWith("solo monitor is running at http://localhost:" + port);
        assertThat(jvms(status)).hasSize(1).allMatch(LauncherLeanIT::lean);

        Launch list = solo("list");
        assertThat(list.out()).contains("solo-monitor");
        assertThat(jvms(list)).hasSize(1).allMatch(LauncherLeanIT::lean);

        Launch stop = solo("monitor", "stop");
        assertThat(stop.exit()).as(stop.err()).isZero();
        assertThat(jvms(stop)).as("not a lean command").hasSize(1).noneMatch(LauncherLeanIT::lean);
    }

    /**
     * The lean JVM maps the launcher's own archive for it ({@code solo-lean.jsa} next to the jar, made on
     * the first run after a build) with the JDK's module graph ready made; the general JVM keeps {@code
     * solo.jsa}. Address space layout may refuse a mapping now and then: three tries.
     */
    @Test
    void theLeanJvmMapsItsOwnArchive() throws Exception {
        Path jar = LauncherIT.LAUNCHER.getParent().resolve("cli/target/solo.jar");
        Path lean = jar.resolveSibling("solo-lean.jsa").toRealPath();
        Path general = jar.resolveSibling("solo.jsa").toRealPath();
        String leanLog = "";
        for (int attempt = 0; attempt < 3 && !leanLog.contains("full module graph: enabled"); attempt++) {
            Path logs = Files.createDirectories(home.resolve("cds-" + attempt));
            env.put("JDK_JAVA_OPTIONS", "-Xlog:cds:file=" + logs.resolve("cds-%p.txt"));
            Launch status = solo("monitor", "status");
            assertThat(status.exit()).as(status.err()).isEqualTo(3);
            List<String> opened = new ArrayList<>();
            try (Stream<Path> files = Files.list(logs)) {
                for (Path f : files.toList()) opened.add(Files.readString(f));
            }
            leanLog = opened.stream().filter(l -> opened(l, lean)).findFirst().orElse("");
            assertThat(leanLog)
                    .as("a JVM that opened " + lean + " among " + opened.size())
                    .isNotEmpty();
        }
        assertThat(leanLog).contains("full module graph: enabled");

        env.put("JDK_JAVA_OPTIONS", "-Xlog:cds:file=" + home.resolve("stop-%p.txt"));
        Launch stop = solo("monitor", "stop");
        assertThat(stop.exit()).as(stop.err()).isZero();
        try (Stream<Path> files = Files.list(home)) {
            List<Path> logs = files.filter(f -> f.getFileName().toString().startsWith("stop-"))
                    .toList();
            assertThat(logs).hasSize(1);
            String log = Files.readString(logs.get(0));
            assertThat(opened(log, general)).as(log).isTrue();
            assertThat(opened(log, lean)).as(log).isFalse();
        }
    }

    /** Whether a {@code -Xlog:cds} log says the JVM opened {@code archive}, in JDK 17's words or 25's. */
    private static boolean opened(String log, Path archive) {
        return log.contains("Opened archive " + archive + ".")
                || log.contains("Opened shared archive file " + archive + ".");
    }

    private Launch solo(String... args) throws Exception {
        return Launch.run(LauncherIT.LAUNCHER, cwd, env, args);
    }

    /** The property listing of each JVM the run started, in order. */
    private static List<String> jvms(Launch r) {
        String[] parts = r.err().split("Property settings:", -1);
        return Arrays.asList(parts).subList(1, parts.length);
    }

    private static boolean lean(String properties) {
        return properties.contains("solo.lean = true");
    }
}
