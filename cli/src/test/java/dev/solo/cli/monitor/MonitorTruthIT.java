package dev.solo.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.solo.core.Registry;
import dev.solo.testing.OtherUser;
import dev.solo.testing.Signals;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stop} and {@code status} tell the truth (issue 8, point 7): a SIGSTOPped monitor, a foreign
 * program and another user's monitor are each named, with the pid or the owner, and a non-zero exit;
 * none of them is signalled, and {@code stop} never says it stopped anything while the port is held.
 */
class MonitorTruthIT {
    @TempDir
    Path tmp;

    Path home;
    OtherUser other;
    Long stoppedPid;

    @AfterEach
    void tearDown() throws Exception {
        if (stoppedPid != null)
            new ProcessBuilder("kill", "-CONT", stoppedPid.toString()).start().waitFor();
        if (other != null) other.close();
        if (home != null) {
            SoloProcess.killResidents(home);
        }
    }

    SoloProcess.Result solo(String... args) throws Exception {
        return SoloProcess.run(home, Map.of(), List.of(), args);
    }

    @Test
    void aStoppedMonitorIsNamedWithItsPidAndLeftAsItIs() throws Exception {
        home = tmp.resolve("solo");
        int port = SoloProcess.freePort();
        String p = Integer.toString(port);
        assertThat(solo("monitor", "--port", p, "--no-browser").exit()).isZero();
        long pid = Registry.at(home).records("solo-monitor").get(0).pid();
        Signals.stop(pid);
        stoppedPid = pid;

        var status = solo("monitor", "status", "--port", p);
        assertThat(status.exit()).isEqualTo(1);
        assertThat(status.out())
                .contains("port " + port + " (pid " + pid + ")")
                .contains("It is stopped (SIGSTOP or Ctrl+Z): resume it with 'kill -CONT " + pid + "'");
        for (String[] cmd : new String[][] {
            {"monitor", "stop", "--port", p}, {"monitor", "open", "--port", p}, {"monitor", "--port", p, "--no-browser"}
        }) {
            var r = solo(cmd);
            assertThat(r.exit()).as(String.join(" ", cmd)).isEqualTo(1);
            assertThat(r.err())
                    .as(String.join(" ", cmd))
                    .startsWith("Error: the solo monitor on port " + port + " (pid " + pid + ")");
            assertThat(r.out()).as(String.join(" ", cmd)).doesNotContain("stopped (port");
        }
        // not signalled: still there, still stopped; once resumed it answers and stops normally
        assertThat(Holder.stopped(pid)).isTrue();
        Signals.resume(pid);
        stoppedPid = null;
        var stop = solo("monitor", "stop", "--port", p);
        assertThat(stop.exit()).as(stop.err()).isZero();
        assertThat(stop.out()).isEqualTo("Monitor stopped (port " + port + ", pid " + pid + ").\n");
    }

    @Test
    void aForeignProgramIsNamedAndLeftAlone() throws Exception {
        home = tmp.resolve("solo");
        int port = SoloProcess.freePort();
        HttpServer foreign = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 0);
        foreign.createContext("/", x -> {
            x.sendResponseHeaders(404, -1);
            x.close();
        });
        foreign.start();
        try {
            String p = Integer.toString(port);
            var status = solo("monitor", "status", "--port", p);
            assertThat(status.exit()).isEqualTo(1);
            assertThat(status.out())
                    .contains("port " + port + " is held by another program that is an HTTP server that answered 404");
            var stop = solo("monitor", "stop", "--port", p);
            assertThat(stop.exit()).isEqualTo(1);
            assertThat(stop.err()).startsWith("Error: port " + port + " is held by another program");
            assertThat(stop.out()).isEmpty();
            assertThat(solo("monitor", "open", "--port", p).exit()).isEqualTo(1);
            // it still serves
            assertThat(HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode())
                    .isEqualTo(404);
        } finally {
            foreign.stop(0);
        }
    }

    @Test
    void anotherUsersMonitorIsNamedWithItsOwnerAndLeftAlone() throws Exception {
        other = new OtherUser(tmp);
        home = tmp.resolve("solo");
        int port = SoloProcess.freePort();
        Path theirs = other.dir(); // nobody's to write in
        ProcessBuilder theirMonitor = new ProcessBuilder(OtherUser.as(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        SoloProcess.JAR.toString(),
                        "monitor",
                        "--foreground",
                        "--no-browser",
                        "--port",
                        Integer.toString(port))))
                .redirectErrorStream(true)
                .redirectOutput(other.dir().resolve("their-monitor.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        theirMonitor.environment().put("SOLO_HOME", theirs.resolve("solo").toString());
        theirMonitor.environment().put("HOME", theirs.toString());
        Process monitor = theirMonitor.start();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(40)).until(() -> !monitor.isAlive() || answers(port));
            assertThat(monitor.isAlive())
                    .as(Files.readString(other.dir().resolve("their-monitor.log")))
                    .isTrue();
            String p = Integer.toString(port);
            var status = solo("monitor", "status", "--port", p);
            assertThat(status.exit()).isEqualTo(1);
            assertThat(status.out()).contains("port " + port + " is held by the solo monitor of user 'nobody' (pid ");
            var stop = solo("monitor", "stop", "--port", p);
            assertThat(stop.exit()).isEqualTo(1);
            assertThat(stop.err()).contains("user 'nobody'").contains("nothing was signalled");
            assertThat(solo("monitor", "--port", p, "--no-browser").exit()).isEqualTo(1);
            assertThat(monitor.isAlive()).isTrue();
            assertThat(answers(port)).isTrue();
        } finally {
            monitor.destroyForcibly();
        }
    }

    static boolean answers(int port) {
        try {
            return HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                                            .timeout(Duration.ofSeconds(2))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode()
                    == 200;
        } catch (Exception e) {
            return false;
        }
    }
}
