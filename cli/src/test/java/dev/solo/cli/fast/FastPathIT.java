package dev.solo.cli.fast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.solo.cli.Main;
import dev.solo.core.InstanceRecord;
import dev.solo.core.Registry;
import dev.solo.testing.Ports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lean start against the full command line, through the real jar in child JVMs with a private
 * state directory: for every command it recognises, both paths print the same on stdout and stderr and
 * exit the same, with a monitor running and without; and the lean one loads neither Jackson nor
 * picocli's command model.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class FastPathIT {
    static final Path JAR = Path.of("target", "solo.jar").toAbsolutePath();

    @TempDir
    Path home;

    int port;

    record Run(int exit, String out, String err) {}

    @AfterEach
    void killMonitors() {
        for (InstanceRecord r : Registry.at(home).records()) {
            ProcessHandle.of(r.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    Run solo(List<String> jvm, String... args) throws IOException, InterruptedException {
        return java(jvm, "dev.solo.cli.Main", args); // as the launcher starts it
    }

    /** {@code java <jvm> -cp solo.jar [main args...]}: no main class for {@code -Xshare:dump}. */
    Run java(List<String> jvm, String main, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.add("-Duser.home=" + home.resolve("user"));
        cmd.addAll(jvm);
        cmd.addAll(List.of("-cp", JAR.toString()));
        if (main != null) cmd.add(main);
        cmd.addAll(List.of(args));
        Path cwd = Files.createDirectories(home.resolve("cwd"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().put("SOLO_HOME", home.toString());
        pb.environment()
                .put("HOME", Files.createDirectories(home.resolve("user")).toString());
        pb.environment().put("SOLO_NO_BROWSER", "1");
        pb.environment().put("SOLO_MONITOR_PORT", Integer.toString(port));
        int ocr = port + 1;
        pb.environment().put("SINGLEINSTANCE_PORT_START", Integer.toString(ocr));
        pb.environment().put("SINGLEINSTANCE_PORT_END", Integer.toString(ocr));
        pb.environment().remove("DISPLAY");
        pb.environment().remove("SOLO_OCR_ENV");
        pb.environment().remove("CLAUDE_CONFIG_DIR");
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        pb.redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process p = pb.start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) throw new IllegalStateException("solo " + List.of(args) + " hung");
            return new Run(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }

    /** Runs {@code args} on both paths and checks they agree; the lean path's result. */
    Run same(String... args) throws Exception {
        Run fast = solo(List.of(), args);
        Run full = solo(List.of("-D" + FastPath.PROPERTY + "=false"), args);
        assertThat(uptimeless(fast.out())).as("stdout of %s", List.of(args)).isEqualTo(uptimeless(full.out()));
        assertThat(fast.err()).as("stderr of %s", List.of(args)).isEqualTo(full.err());
        assertThat(fast.exit()).as("exit of %s", List.of(args)).isEqualTo(full.exit());
        return fast;
    }

    /** The text with uptimes ("up 3s", a list's "  12s idle") blanked: a second may pass between two runs. */
    static String uptimeless(String text) {
        return text.replaceAll("up [0-9hms ]+,", "up _,")
                .replaceAll("(?m) +[0-9]+[dhms]([0-9]+[dhms])? (idle|busy)$", " _ $2");
    }

    @Test
    void bothPathsAgreeWithAndWithoutAMonitor() throws Exception {
        port = Ports.free();
        Path missing = home.resolve("no-such.png");

        Run notRunning = same("monitor", "status");
        assertThat(notRunning.exit()).isEqualTo(3);
        assertThat(notRunning.out()).isEqualTo("solo monitor is not running on port " + port + ".\n");
        same("list");
        same("ocr", "--file", missing.toString());
        same("ocr", "--run-once", "--stdout"); // no display, no resident: the same error

        Run started = solo(List.of(), "monitor", "--no-browser");
        assertThat(started.exit()).as(started.err()).isZero();
        assertThat(started.out()).contains("Monitor running on port " + port);

        Run reused = same("monitor", "--no-browser");
        assertThat(reused.out()).isEqualTo("Monitor already running at http://localhost:" + port + "\n");
        same("monitor", "--port", Integer.toString(port), "--no-browser");
        same("monitor", "--no-browser", "--port=" + port);
        Run status = same("monitor", "status");
        assertThat(status.exit()).isZero();
        assertThat(status.out())
                .startsWith("solo monitor is running at http://localhost:" + port + " (pid ")
                .contains(", 0 streams, 0 events).");
        same("monitor", "status", "--port", Integer.toString(Ports.free()));
        Run list = same("list", "--timeout", "2000");
        assertThat(list.out()).startsWith("SERVICE ").contains("solo-monitor");
        same("monitor", "status", "--name", "nobody-here");
    }

    /**
     * A lean JVM (the launcher's interpreter-only one) runs the lean start only: a command that it does not
     * finish exits {@link Main#HAND_OFF} having printed nothing and started nothing, for the launcher to
     * run again with the normal flags.
     */
    @Test
    void aLeanJvmHandsOffWhatTheLeanStartDoesNotFinish() throws Exception {
        port = Ports.free();
        List<String> lean = List.of("-D" + Main.LEAN + "=true", "-XX:TieredStopAtLevel=0");
        String[][] handedOff = {
            {"monitor", "--no-browser"}, {"monitor", "--help"}, {"monitor", "stop"}, {"list", "--bogus"}, {"--version"}
        };
        for (String[] args : handedOff) {
            Run r = solo(lean, args);
            assertThat(r.exit()).as(List.of(args).toString()).isEqualTo(Main.HAND_OFF);
            assertThat(r.out() + r.err()).as(List.of(args).toString()).isEmpty();
        }
        assertThat(Registry.at(home).records()).as("no monitor started").isEmpty();

        Run status = solo(lean, "monitor", "status");
        assertThat(status.exit()).as("finished by the lean start").isEqualTo(3);
        assertThat(status.out()).isEqualTo("solo monitor is not running on port " + port + ".\n");
    }

    @Test
    void theLeanPathLoadsNoJacksonAndNoPicocliModel() throws Exception {
        port = Ports.free();
        Run started = solo(List.of(), "monitor", "--no-browser");
        assertThat(started.exit()).as(started.err()).isZero();
        String[][] commands = {{"monitor", "--no-browser"}, {"monitor", "status"}, {"list"}};
        for (String[] args : commands) {
            Path log = home.resolve("classes-" + String.join("-", args) + ".txt");
            Run r = solo(List.of("-Xlog:class+load:file=" + log), args);
            assertThat(r.exit()).as(r.err()).isZero();
            String loaded = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(loaded).as(List.of(args).toString()).contains("dev.solo.cli.fast.FastPath ");
            assertThat(loaded).as(List.of(args).toString()).doesNotContain("com.fasterxml.jackson");
            assertThat(loaded).as(List.of(args).toString()).doesNotContain("picocli.CommandLine$Model");
            assertThat(loaded).as(List.of(args).toString()).doesNotContain("sun.net.www.protocol.http");
        }
    }

    /**
     * With the launcher's class-data-sharing archive (recorded by {@code cds-training} as the launcher
     * records it), every class of the lean commands comes from the archive: none is read from the jar,
     * whose opening indexes thousands of entries. No picocli class loads at all (class-data sharing
     * cannot archive picocli's, whose class files predate Java 6, so one would open the jar).
     */
    @Test
    void theLeanPathReadsNoClassFromTheJar() throws Exception {
        port = Ports.free();
        Path archive = home.resolve("solo.jsa");
        Run training = solo(List.of("-XX:ArchiveClassesAtExit=" + archive), "cds-training");
        assertThat(training.exit()).as(training.err()).isZero();
        assumeTrue(Files.isRegularFile(archive), "this JVM wrote no dynamic CDS archive: " + training.err());
        Run started = solo(List.of(), "monitor", "--no-browser");
        assertThat(started.exit()).as(started.err()).isZero();
        // a missing file: the OCR client's start (settings, headless check) without a standalone engine
        Path image = home.resolve("missing.png");
        String[][] commands = {
            {"monitor", "--no-browser"}, {"monitor", "status"}, {"list"}, {"ocr", "--file", image.toString()}
        };
        for (String[] args : commands) {
            Path log = home.resolve("cds-" + String.join("-", args).replace('/', '_') + ".txt");
            solo(List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto", "-Xlog:class+load:file=" + log), args);
            String loaded = Files.readString(log, StandardCharsets.UTF_8);
            assumeTrue(
                    loaded.contains("dev.solo.cli.Main source: shared objects file"),
                    "the archive " + archive + " was not mapped in this run (address space layout); nothing to check");
            List<String> fromJar = loaded.lines()
                    .filter(l -> l.contains("source: file:") || l.contains("source: jar:"))
                    .toList();
            assertThat(fromJar).as(List.of(args).toString()).isEmpty();
            assertThat(loaded).as(List.of(args).toString()).doesNotContain(" picocli.");
        }
        // The launcher runs the lean commands without the JIT: the same archive must map for those flags.
        for (String[] args : new String[][] {{"monitor", "--no-browser"}, {"monitor", "status"}, {"list"}}) {
            String loaded = "";
            for (int attempt = 0; attempt < 3 && !loaded.contains(MAIN_FROM_ARCHIVE); attempt++) {
                Path log = home.resolve("cds-lean-" + String.join("-", args) + "-" + attempt + ".txt");
                Run r = solo(
                        List.of(
                                "-XX:SharedArchiveFile=" + archive,
                                "-Xshare:auto",
                                "-XX:TieredStopAtLevel=0",
                                "-D" + Main.LEAN + "=true",
                                "-Xlog:class+load:file=" + log),
                        args);
                assertThat(r.exit()).as(r.err()).isZero();
                loaded = Files.readString(log, StandardCharsets.UTF_8);
            }
            assertThat(loaded)
                    .as("the archive maps for the lean flags (3 tries: address space layout may refuse one)")
                    .contains(MAIN_FROM_ARCHIVE)
                    .doesNotContain("source: file:")
                    .doesNotContain("source: jar:");
        }
    }

    /**
     * The lean commands' own archive, made as the launcher makes it ({@code LeanTraining}'s class list, then
     * a static dump with the lean JVM's collector): its class list names neither picocli nor Jackson nor
     * the monitor's server, and the lean commands run with it read no class from the jar and get the JDK's
     * module graph ready made.
     */
    @Test
    void theLeanCommandsMapEverythingFromTheirOwnArchive() throws Exception {
        port = Ports.free();
        List<String> leanJvm = List.of("-XX:+UseG1GC", "-Xmx128m", "-XX:TieredStopAtLevel=0");
        Path classes = home.resolve("lean.classlist");
        Path archive = home.resolve("solo-lean.jsa");
        List<String> record = new ArrayList<>(leanJvm);
        record.add("-XX:DumpLoadedClassList=" + classes);
        Run training = java(record, "dev.solo.cli.LeanTraining");
        assertThat(training.exit()).as(training.out() + training.err()).isZero();
        String listed = Files.readString(classes, StandardCharsets.UTF_8);
        assertThat(listed.lines().map(l -> l.split(" ", 2)[0]))
                .contains("dev/solo/cli/Main", "dev/solo/cli/fast/MonitorFast", "dev/solo/cli/fast/ListFast");
        assertThat(listed)
                .doesNotContain("picocli/")
                .doesNotContain("com/fasterxml/")
                .doesNotContain("org/eclipse/jetty/")
                .doesNotContain("org/sqlite/");
        List<String> dump = new ArrayList<>(List.of("-Xshare:dump", "-XX:+UseG1GC", "-Xmx128m"));
        dump.addAll(List.of("-XX:SharedClassListFile=" + classes, "-XX:SharedArchiveFile=" + archive));
        Run dumped = java(dump, null);
        assertThat(dumped.exit()).as(dumped.out() + dumped.err()).isZero();
        assumeTrue(Files.isRegularFile(archive), "this JVM dumped no static CDS archive: " + dumped.out());
        Run started = solo(List.of(), "monitor", "--no-browser");
        assertThat(started.exit()).as(started.err()).isZero();
        for (String[] args : new String[][] {{"monitor", "--no-browser"}, {"monitor", "status"}, {"list"}}) {
            String loaded = "";
            String cds = "";
            for (int attempt = 0; attempt < 3 && !cds.contains("full module graph: enabled"); attempt++) {
                String name = String.join("-", args) + "-" + attempt;
                Path log = home.resolve("lean-classes-" + name + ".txt");
                Path cdsLog = home.resolve("lean-cds-" + name + ".txt");
                List<String> flags = new ArrayList<>(List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto"));
                flags.addAll(leanJvm);
                flags.addAll(List.of("-D" + Main.LEAN + "=true", "-Xlog:class+load:file=" + log));
                flags.add("-Xlog:cds:file=" + cdsLog);
                Run r = solo(flags, args);
                assertThat(r.exit()).as(r.err()).isZero();
                loaded = Files.readString(log, StandardCharsets.UTF_8);
                cds = Files.readString(cdsLog, StandardCharsets.UTF_8);
            }
            assertThat(cds).as(List.of(args).toString()).contains("full module graph: enabled");
            assertThat(loaded)
                    .as(List.of(args).toString())
                    .contains(MAIN_FROM_ARCHIVE)
                    .doesNotContain("source: file:")
                    .doesNotContain("source: jar:");
        }
    }

    private static final String MAIN_FROM_ARCHIVE = "dev.solo.cli.Main source: shared objects file";
}
