package dev.solo.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.core.Registry;
import dev.solo.testing.OtherUser;
import dev.solo.testing.Ports;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitor's API on its same-user Unix-domain socket (issue 13), through the real jar: {@code
 * status}, reuse and {@code stop} go there first; a file left by {@code kill -9} blocks nothing; a socket
 * of another user ({@code nobody}) is never sent a byte, and the command goes on over TCP with the proof.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class MonitorSocketIT {
    @TempDir
    Path tmp;

    Path home;
    int port;
    Map<String, String> env;

    @AfterEach
    void killEverything() {
        if (home == null) return;
        SoloProcess.killResidents(home);
    }

    void setUp() throws Exception {
        home = Files.createDirectories(tmp.resolve("home"));
        port = Ports.free();
        // No XDG_RUNTIME_DIR: the socket goes to <state dir>/run, inside the test's directory.
        env = Map.of("SOLO_MONITOR_PORT", Integer.toString(port), "XDG_RUNTIME_DIR", "");
    }

    SoloProcess.Result solo(String... args) throws Exception {
        return SoloProcess.run(home, env, List.of(), args);
    }

    /** {@code args} with the classes it loaded. */
    String classesOf(String... args) throws Exception {
        Path log = tmp.resolve("classes.txt");
        SoloProcess.Result r = SoloProcess.run(home, env, List.of("-Xlog:class+load:file=" + log), args);
        assertThat(r.exit()).as(r.err()).isZero();
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    Path socket() {
        return home.resolve("run").resolve("solo-monitor-p" + port + ".sock");
    }

    long start() throws Exception {
        SoloProcess.Result r = solo("monitor", "--no-browser");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Monitor running on port " + port);
        return Registry.at(home).records("solo-monitor").get(0).pid();
    }

    @Test
    void statusReuseAndStopGoThroughTheSocketWithoutAProof() throws Exception {
        setUp();
        start();
        assertThat(socket()).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket(), LinkOption.NOFOLLOW_LINKS)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket().getParent())))
                .isEqualTo("rwx------");

        SoloProcess.Result status = solo("monitor", "status");
        assertThat(status.exit()).isZero();
        assertThat(status.out()).startsWith("solo monitor is running at http://localhost:" + port + " (pid ");
        String loaded = classesOf("monitor", "status");
        assertThat(loaded).contains("dev.solo.cli.monitor.LocalMonitor ");
        assertThat(loaded).as("no TCP probe, no proof").doesNotContain("dev.solo.core.internal.Probe ");
        assertThat(classesOf("monitor", "--no-browser")).doesNotContain("dev.solo.core.internal.Probe ");
        assertThat(solo("monitor", "--no-browser").out())
                .isEqualTo("Monitor already running at http://localhost:" + port + "\n");

        SoloProcess.Result stop = solo("monitor", "stop");
        assertThat(stop.exit()).as(stop.err()).isZero();
        assertThat(stop.out()).startsWith("Monitor stopped (port " + port);
        assertThat(socket()).doesNotExist();
        assertThat(SoloProcess.freePortStillFree(port)).isTrue();
    }

    @Test
    void withoutItsSocketFileTheMonitorIsReachedOverTcp() throws Exception {
        setUp();
        start();
        Files.delete(socket()); // a socket directory cleaned by someone: the monitor still answers on TCP
        SoloProcess.Result status = solo("monitor", "status");
        assertThat(status.exit()).isZero();
        assertThat(status.out()).startsWith("solo monitor is running at http://localhost:" + port);
        assertThat(solo("monitor", "stop").exit()).isZero();
    }

    @Test
    void aSocketLeftByKill9BlocksNothing() throws Exception {
        setUp();
        long pid = start();
        ProcessHandle victim = ProcessHandle.of(pid).orElseThrow();
        victim.destroyForcibly();
        Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> !victim.isAlive());
        assertThat(socket()).exists(); // nobody removed it

        SoloProcess.Result status = solo("monitor", "status");
        assertThat(status.exit()).isEqualTo(StatusCommand.NOT_RUNNING);
        assertThat(status.out()).isEqualTo("solo monitor is not running on port " + port + ".\n");

        long second = start(); // its claim holds the port, so it removes the old file and binds its own
        assertThat(second).isNotEqualTo(pid);
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket()));
        }
        assertThat(solo("monitor", "status").out()).contains("(pid " + second + ",");
    }

    @Test
    void aSocketOfAnotherUserIsSentNothingAndTcpWithTheProofTakesOver() throws Exception {
        setUp();
        try (OtherUser nobody = new OtherUser(tmp)) {
            start();
            Files.delete(socket());
            // A misconfigured socket directory the attacker can write to (and pass through to).
            Files.setPosixFilePermissions(socket().getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx--x--x"));
            Path log = nobody.dir().resolve("unix-squatter.log");
            nobody.script(
                    "unix_squatter.py",
                    socket().toString(),
                    log.toString(),
                    Integer.toString(port),
                    System.getProperty("user.name"));
            assertThat(Files.getOwner(socket(), LinkOption.NOFOLLOW_LINKS).getName())
                    .isEqualTo("nobody");

            SoloProcess.Result status = solo("monitor", "status");
            assertThat(status.exit()).as(status.err()).isZero();
            assertThat(status.out())
                    .startsWith("solo monitor is running at http://localhost:" + port)
                    .doesNotContain("666");
            SoloProcess.Result reuse = solo("monitor", "--no-browser");
            assertThat(reuse.out()).isEqualTo("Monitor already running at http://localhost:" + port + "\n");
            SoloProcess.Result stop = solo("monitor", "stop");
            assertThat(stop.exit()).as(stop.err()).isZero();

            // Each command connected, saw a peer of another user, and sent nothing: no token left.
            List<String> sent = Files.readAllLines(log);
            assertThat(sent).isNotEmpty().allMatch(n -> n.equals("0"));
        }
    }
}
