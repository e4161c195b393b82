package dev.solo.monitor.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.solo.core.Registry;
import dev.solo.monitor.testing.TestMonitors;
import dev.solo.testing.OtherUser;
import dev.solo.testing.RawHttp;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another OS user floods the monitor's TCP port with idle connections (as nobody): the monitor closes
 * that user's excess, keeps the user's own connections, and answers {@code /health} and hooks. Without
 * the cap the monitor kept every one, until it ran out of file descriptors (18,000 did it here).
 */
@Timeout(120)
class IdleFloodTest {
    private static final int FLOOD = 400;
    private static final int OURS = 150;

    @TempDir
    Path tmp;

    private MonitorServer server;
    private OtherUser attacker;
    private final List<Socket> ours = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (Socket s : ours) s.close();
        if (attacker != null) attacker.close();
        if (server != null) server.close();
    }

    @Test
    void anotherUsersIdleFloodIsCappedAndOursIsKeptAndServed() throws Exception {
        attacker = new OtherUser(tmp);
        Path home = Files.createDirectories(tmp.resolve("home"));
        Registry registry = Registry.at(home);
        String token = registry.token().value();
        server = TestMonitors.start(registry, "flood");
        int port = server.port();
        for (int i = 0; i < OURS; i++) {
            Socket s = new Socket();
            ours.add(s);
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        }

        attacker.script("idle_flood.py", Integer.toString(port), Integer.toString(FLOOD));

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(established(OtherUser.NOBODY_UID, port))
                        .as("nobody's connections the monitor still holds open")
                        .isLessThanOrEqualTo(ConnectionCap.PER_OTHER_USER));
        assertThat(RawHttp.send(port, "GET", "/health", Map.of(), null).status())
                .isEqualTo(200);
        assertThat(RawHttp.send(
                                port,
                                "POST",
                                "/api/hooks",
                                Map.of("Authorization", "Bearer " + token),
                                "{\"session_id\":\"flooded\",\"hook_event_name\":\"Stop\"}"
                                        .getBytes(StandardCharsets.UTF_8))
                        .status())
                .isEqualTo(200);
        for (Socket s : ours)
            assertThat(stillOpen(s)).as("our own idle connection").isTrue();
    }

    /** Whether the monitor has not closed {@code s}: a read waits instead of seeing the end of the stream. */
    private static boolean stillOpen(Socket s) throws IOException {
        s.setSoTimeout(20);
        InputStream in = s.getInputStream();
        try {
            return in.read() != -1;
        } catch (SocketTimeoutException waiting) {
            return true;
        }
    }

    /**
     * Connections of user {@code uid} to {@code port} that are still established: the client's end of each,
     * in the kernel's tables. One the monitor closed shows as CLOSE_WAIT (the attacker never reads).
     */
    private static long established(int uid, int port) throws IOException {
        String remote = String.format(":%04X", port);
        long n = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.isReadable(p)) continue;
            List<String> lines = Files.readAllLines(p, StandardCharsets.US_ASCII);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 7 && f[2].endsWith(remote) && f[3].equals("01") && f[7].equals(Integer.toString(uid)))
                    n++;
            }
        }
        return n;
    }
}
