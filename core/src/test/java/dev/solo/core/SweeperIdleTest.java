package dev.solo.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.solo.core.support.Residents;
import dev.solo.core.support.ThreadHygiene;
import dev.solo.testing.Ports;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An idle resident's deadline thread sleeps instead of waking every tick (100 times a second on a resident
 * with a same-user socket, for as long as it runs), and still enforces the deadline of the first
 * connection that comes after.
 */
@ExtendWith(ThreadHygiene.class)
@Timeout(30)
class SweeperIdleTest {
    @TempDir
    Path home;

    @Test
    void anIdleResidentsSweeperSleepsAndTheNextConnectionWakesIt() throws Exception {
        SingleInstance app = Residents.app(home, PortPolicy.fixed(Ports.free()))
                .localSocket(true)
                .build();
        Verb echo = Verb.concurrent("ECHO", r -> Response.success(r.args()));
        try (LineServer server = Residents.serve(app, Duration.ofMillis(300), echo)) {
            String name = "solo-" + Residents.SERVICE + "-deadlines";
            await().atMost(Duration.ofSeconds(10)).until(() -> parkedWithoutDeadline(name));

            // The first connection after the quiet period sends nothing: the woken sweeper must answer it.
            long started = System.nanoTime();
            String answer;
            try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(server.localSocket()))) {
                answer = new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
            }
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            assertThat(answer).contains("ERROR").contains("300 ms");
            assertThat(tookMillis).isLessThan(5_000);

            // It ticks again while connections come, and serves them as before.
            try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(server.localSocket()))) {
                ch.write(ByteBuffer.wrap("ECHO hi\n".getBytes(StandardCharsets.US_ASCII)));
                assertThat(new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8))
                        .contains("SUCCESS")
                        .endsWith("hi");
            }
            // And stops again once they are gone.
            await().atMost(Duration.ofSeconds(10)).until(() -> parkedWithoutDeadline(name));
        }
    }

    /** The thread {@code name} waits with nothing scheduled: untimed {@code WAITING}, not {@code TIMED_WAITING}. */
    private static boolean parkedWithoutDeadline(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(name))
                .anyMatch(t -> t.getState() == Thread.State.WAITING);
    }
}
