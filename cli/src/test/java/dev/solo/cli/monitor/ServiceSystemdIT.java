package dev.solo.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.monitor.security.IngestKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code solo monitor service} under a real systemd user manager ({@link UserSystemd}; skipped with the
 * reason where the machine cannot run one): install, the first hook starts the monitor on the socket
 * systemd holds, {@code solo monitor stop} stops it for real (socket included: nothing listens, and a
 * connection starts nothing), the printed command starts it again, {@code restart} keeps it under the
 * service, a crash is restarted on the same socket, {@code service uninstall} removes it.
 */
class ServiceSystemdIT {
    @TempDir
    Path dir;

    UserSystemd manager;

    @AfterEach
    void tearDown() throws Exception {
        if (manager != null) manager.close();
    }

    @Test
    @Timeout(300)
    void installActivateStopStartRestartUninstall() throws Exception {
        manager = UserSystemd.start(dir);
        Path solo = dir.resolve("solo");
        int port = SoloProcess.freePort();
        String socket = "solo-monitor-" + port + ".socket";
        String service = "solo-monitor-" + port + ".service";
        Map<String, String> env = manager.environment();

        var installed = solo(env, "monitor", "service", "install", "--port", "" + port);
        assertThat(installed.exit()).as(installed.err()).isZero();
        assertThat(installed.out()).contains("Ran: systemctl --user enable --now " + socket);
        assertThat(manager.systemctl("is-active", socket).text()).isEqualTo("active");
        assertThat(manager.systemctl("is-active", service).text()).isEqualTo("inactive"); // until a connection
        String unit = Files.readString(manager.unitDir().resolve(service));
        assertThat(unit).contains("Environment=MALLOC_ARENA_MAX=").contains("-XX:+UseSerialGC");

        var serviceStatus = solo(env, "monitor", "service", "status", "--port", "" + port);
        assertThat(serviceStatus.exit()).as(serviceStatus.err()).isZero();
        assertThat(serviceStatus.out()).contains("systemctl --user is-active: active inactive");

        // The first hook starts the monitor: its connection waits in the socket's backlog meanwhile.
        IngestKey key = IngestKey.loadOrCreate(solo);
        assertThat(SocketActivationIT.post(port, key, "s-1")).isEqualTo(200);
        long first = manager.mainPid(service).orElseThrow();
        var status = solo(env, "monitor", "status", "--port", "" + port);
        assertThat(status.out())
                .as(status.err())
                .contains("solo monitor is running")
                .contains("pid " + first);
        // What the service printed is the user's only: the log the manager appends to was made 0600 first.
        try (var logs = Files.list(solo.resolve("logs"))) {
            for (Path log : logs.toList()) {
                assertThat(StateDirsIT.mode(log)).as(log.toString()).isEqualTo("rw-------");
            }
        }

        // stop ends it for real: the socket too, so nothing listens and nothing starts it again.
        var stopped = solo(env, "monitor", "stop", "--port", "" + port);
        assertThat(stopped.exit()).as(stopped.err()).isZero();
        assertThat(stopped.out())
                .contains("Ran: systemctl --user stop " + socket + " " + service)
                .contains("Start it again with 'systemctl --user start " + socket + "'")
                .contains("solo monitor service uninstall --port " + port);
        assertThat(refused(port)).isTrue();
        assertThat(manager.systemctl("is-active", socket, service).text()).isEqualTo("inactive\ninactive");
        assertThat(ProcessHandle.of(first)).isEmpty();
        assertThat(manager.unitDir().resolve(socket)).exists(); // still installed: it starts at the next login

        // Started again as stop said: the next hook starts it, and history is kept.
        assertThat(manager.systemctl("start", socket).ok()).isTrue();
        // status is the first connection here: it starts the monitor and waits for it to answer
        var woke = solo(env, "monitor", "status", "--port", "" + port);
        assertThat(woke.exit()).as(woke.out() + woke.err()).isZero();
        assertThat(woke.out()).contains("solo monitor is running").contains(", 1 event)");
        assertThat(SocketActivationIT.post(port, key, "s-2")).isEqualTo(200);
        long second = manager.mainPid(service).orElseThrow();
        assertThat(second).isNotEqualTo(first);
        assertThat(solo(env, "monitor", "status", "--port", "" + port).out()).contains("2 events");

        // restart stays under the service: a new process, the socket still held.
        var restarted = solo(env, "monitor", "restart", "--port", "" + port, "--no-browser");
        assertThat(restarted.exit()).as(restarted.err()).isZero();
        assertThat(restarted.out()).contains("Ran: systemctl --user restart " + service);
        long third = manager.mainPid(service).orElseThrow();
        assertThat(third).isNotEqualTo(second);
        assertThat(restarted.out()).contains("(pid " + third + ")");
        assertThat(manager.systemctl("is-active", socket).text()).isEqualTo("active");

        // A crash: systemd starts it again on the same socket; a hook posted meanwhile is stored.
        ProcessHandle.of(third).orElseThrow().destroyForcibly();
        assertThat(SocketActivationIT.post(port, key, "s-3")).isEqualTo(200);
        assertThat(manager.mainPid(service).orElseThrow()).isNotEqualTo(third);
        assertThat(solo(env, "monitor", "status", "--port", "" + port).out()).contains("3 events");

        // uninstall removes it for good.
        var removed = solo(env, "monitor", "service", "uninstall", "--port", "" + port);
        assertThat(removed.exit()).as(removed.err()).isZero();
        assertThat(manager.unitDir().resolve(socket)).doesNotExist();
        assertThat(manager.unitDir().resolve(service)).doesNotExist();
        assertThat(refused(port)).isTrue();
        assertThat(solo(env, "monitor", "stop", "--port", "" + port).out())
                .contains("No solo monitor is running on port " + port);
    }

    SoloProcess.Result solo(Map<String, String> env, String... args) throws Exception {
        return SoloProcess.run(dir.resolve("solo"), env, List.of(), args);
    }

    /** Whether a connection to 127.0.0.1:port is refused (nothing listens, not even a socket unit). */
    static boolean refused(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
