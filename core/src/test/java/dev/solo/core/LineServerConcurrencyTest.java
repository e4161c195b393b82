package dev.solo.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.core.support.RawClient;
import dev.solo.core.support.Reply;
import dev.solo.core.support.Residents;
import dev.solo.core.support.ThreadHygiene;
import dev.solo.testing.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Busy answers, silent clients and shutdown with requests in flight, on real sockets. */
@ExtendWith(ThreadHygiene.class)
class LineServerConcurrencyTest {
    private static final long LATCH_SECONDS = 15;

    @TempDir
    Path home;

    private final AtomicInteger calls = new AtomicInteger();
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicBoolean interrupted = new AtomicBoolean();

    /** An exclusive verb whose handler blocks until the test releases it (or shutdown interrupts it). */
    private Verb blocking(String name) {
        return Verb.exclusive(name, r -> {
            calls.incrementAndGet();
            entered.countDown();
            try {
                if (!release.await(LATCH_SECONDS, TimeUnit.SECONDS)) return Response.error("test never released");
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
            return Response.success("done");
        });
    }

    private static CompletableFuture<Reply> sendAsync(int port, String request) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return RawClient.exchange(port, request);
            } catch (Exception e) {
                throw new IllegalStateException("request " + request.trim() + " failed", e);
            }
        });
    }

    private void awaitEntered() throws InterruptedException {
        assertThat(entered.await(LATCH_SECONDS, TimeUnit.SECONDS))
                .as("the first request reached its handler within %d s", LATCH_SECONDS)
                .isTrue();
    }

    @Test
    void aSecondExclusiveRequestIsBusyAndItsHandlerIsNeverCalled() throws Exception {
        AtomicInteger otherCalls = new AtomicInteger();
        SingleInstance app = Residents.app(home, PortPolicy.fixed(Ports.free())).build();
        try (LineServer server = Residents.serve(app, blocking("CLIPBOARD"), Verb.exclusive("STDOUT", r -> {
            otherCalls.incrementAndGet();
            return Response.ok();
        }))) {
            String auth = "AUTH " + app.registry().token().value() + "\n";
            CompletableFuture<Reply> first = sendAsync(server.port(), auth + "CLIPBOARD\n");
            awaitEntered();
            assertThat(server.identity().state()).isEqualTo(ServiceIdentity.State.BUSY);

            RawClient.exchange(server.port(), auth + "CLIPBOARD\n").assertExactly("ERROR\nBusy, please retry");
            RawClient.exchange(server.port(), auth + "STDOUT\n").assertExactly("ERROR\nBusy, please retry");
            RawClient.exchange(server.port(), "PING\n").assertExactly("PONG\n");
            assertThat(calls.get()).as("calls of the blocked verb").isEqualTo(1);
            assertThat(otherCalls.get()).as("calls of the other exclusive verb").isZero();

            release.countDown();
            first.get(LATCH_SECONDS, TimeUnit.SECONDS).assertExactly("SUCCESS\ndone");
            assertThat(server.identity().state()).isEqualTo(ServiceIdentity.State.IDLE);
            RawClient.exchange(server.port(), auth + "STDOUT\n").assertExactly("SUCCESS\n");
        }
    }

    @Test
    void silentClientsDoNotDelayAnotherClientsPing() throws Exception {
        // Far past the test's timeout: if PING had to wait for the silent clients' first-line deadline,
        // the test would time out; answered at all, it was not queued behind them.
        Duration firstLine = Duration.ofMinutes(10);
        SingleInstance app = Residents.app(home, PortPolicy.fixed(Ports.free())).build();
        try (LineServer server = Residents.serve(app, firstLine, blocking("STDOUT"))) {
            List<RawClient> silent = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) silent.add(RawClient.connect(server.port()));
                RawClient.exchange(server.port(), "PING\n").assertExactly("PONG\n");
                assertThat(silent.get(0).closedWithin(Duration.ofMillis(50)))
                        .as("the silent clients are still waiting, not answered")
                        .isFalse();
            } finally {
                for (RawClient c : silent) c.close();
            }
        }
    }

    @Test
    void aSilentClientGetsAnErrorAfterTheFirstLineTimeout() throws Exception {
        SingleInstance app = Residents.app(home, PortPolicy.fixed(Ports.free())).build();
        try (LineServer server = Residents.serve(app, Duration.ofMillis(300), blocking("STDOUT"));
                RawClient silent = RawClient.connect(server.port())) {
            Reply reply = silent.readToEnd();
            reply.assertExactly("ERROR\nno request line within 300 ms; lines end with \\n");
            assertThat(reply.elapsed()).as("time until the answer").isGreaterThanOrEqualTo(Duration.ofMillis(250));
        }
        assertThat(calls.get()).isZero();
    }

    @Test
    void shutdownAnswersTheRequestInFlightReleasesThePortAndRemovesTheRecord() throws Exception {
        SingleInstance app = Residents.app(home, PortPolicy.fixed(Ports.free())).build();
        LineServer server = Residents.serve(app, blocking("STDOUT"));
        int port = server.port();
        assertThat(Residents.records(app.registry())).as("record while running").hasSize(1);
        CompletableFuture<Reply> inFlight =
                sendAsync(port, "AUTH " + app.registry().token().value() + "\nSTDOUT\n");
        awaitEntered();
        try (RawClient idle = RawClient.connect(port)) {
            // One acceptor takes connections in order: once PING is answered, the idle one was accepted.
            RawClient.exchange(port, "PING\n").assertExactly("PONG\n");
            server.close();
            inFlight.get(LATCH_SECONDS, TimeUnit.SECONDS).assertExactly("ERROR\nshutting down");
            idle.readToEnd().assertExactly("ERROR\nshutting down");
        } finally {
            release.countDown();
        }
        assertThat(interrupted).as("the handler was interrupted").isTrue();
        assertThat(Residents.records(app.registry())).as("records after close").isEmpty();
        server.close(); // idempotent

        ClaimResult again = app.claim();
        try {
            assertThat(again)
                    .as("a new claim of port %d after close: %s", port, again.message())
                    .isInstanceOf(ClaimResult.Claimed.class);
        } finally {
            if (again instanceof ClaimResult.Claimed c) c.close();
        }
    }

    @Test
    void closeReturnsPromptlyAndAwaitCloseReturnsAfterIt() throws Exception {
        SingleInstance app = Residents.app(home, PortPolicy.fixed(Ports.free())).build();
        LineServer server = Residents.serve(app, blocking("STDOUT"));
        CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> {
            try {
                server.awaitClose();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(waiter).isNotDone();
        server.close(); // bounded by LineServer's own waits; a hang would hit the test's timeout
        waiter.get(LATCH_SECONDS, TimeUnit.SECONDS);
    }
}
