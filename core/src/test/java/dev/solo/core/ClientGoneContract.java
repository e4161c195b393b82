package dev.solo.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.core.support.Loopback;
import dev.solo.core.support.Residents;
import dev.solo.core.support.ThreadHygiene;
import dev.solo.core.testapp.Client;
import dev.solo.testing.Child;
import dev.solo.testing.Children;
import dev.solo.testing.Ports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Cancellation}: a handler learns that its client has gone, over real sockets, whether the client
 * closes its connection or its process is killed; a client that waits is never taken as gone; a
 * handler that does not ask runs as before. The same suite runs over each transport: {@link
 * TcpClientGoneTest} ({@code AUTH}, then the verb) and {@link SocketClientGoneTest} (the same-user
 * socket).
 */
@ExtendWith(ThreadHygiene.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
abstract class ClientGoneContract {
    /**
     * How soon the handler must hear of it. The resident notices within 50 ms plus a sweeper tick (250
     * ms on TCP with the default timeouts, 10 ms with the socket); the rest is room for a loaded machine.
     */
    private static final long BOUND_MILLIS = 3000;
    /** How long a waiting client is watched for a false signal: many ticks. */
    private static final long QUIET_MILLIS = 1000;

    @TempDir
    Path home;

    @RegisterExtension
    final Children children = new Children();

    private final int port = Ports.free();
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch gone = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicBoolean interruptedAfter = new AtomicBoolean();
    private final CountDownLatch deafDone = new CountDownLatch(1);
    private volatile long goneAt;
    private SingleInstance app;
    private LineServer server;

    /** Whether the client goes over the same-user socket. */
    abstract boolean overSocket();

    @BeforeEach
    void start() {
        app = Residents.app(home, PortPolicy.fixed(port))
                .localSocket(overSocket())
                .build();
        server = Residents.serve(
                app,
                // Asks, and waits until released; an interrupt from its own action ends the wait.
                Verb.concurrent("WAIT", r -> {
                    r.cancellation().onCancel(this::signalled);
                    started.countDown();
                    release.await(60, TimeUnit.SECONDS);
                    return Response.success(r.cancellation().isCancelled() ? "cancelled" : "done");
                }),
                Verb.concurrent("STOPME", r -> {
                    Thread self = Thread.currentThread();
                    r.cancellation().onCancel(() -> {
                        signalled();
                        self.interrupt();
                    });
                    started.countDown();
                    release.await(60, TimeUnit.SECONDS);
                    return Response.success("not interrupted");
                }),
                // Never asks.
                Verb.concurrent("DEAF", r -> {
                    started.countDown();
                    release.await(60, TimeUnit.SECONDS);
                    interruptedAfter.set(Thread.currentThread().isInterrupted());
                    deafDone.countDown();
                    return Response.success("deaf done");
                }),
                Verb.concurrent(
                        "FLAG",
                        r -> Response.success(
                                "interrupted=" + Thread.currentThread().isInterrupted())));
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.close();
    }

    private void signalled() {
        goneAt = System.nanoTime();
        gone.countDown();
    }

    /** A connection to the transport under test that has sent {@code verb} and waits for its answer. */
    private SocketChannel request(String verb) throws IOException, InterruptedException {
        SocketChannel ch = overSocket()
                ? SocketChannel.open(UnixDomainSocketAddress.of(server.localSocket()))
                : SocketChannel.open(new InetSocketAddress(Loopback.V4, port));
        String text =
                overSocket() ? verb + "\n" : "AUTH " + app.registry().token().value() + "\n" + verb + "\n";
        ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
        assertThat(started.await(30, TimeUnit.SECONDS))
                .as("the handler started")
                .isTrue();
        return ch;
    }

    /** Everything until the resident closes, without the greeting line of the same-user socket. */
    private String answer(SocketChannel ch) throws IOException {
        String all = new String(java.nio.channels.Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
        if (overSocket()) {
            assertThat(all).startsWith("SOLO ");
            all = all.substring(all.indexOf('\n') + 1);
        }
        return all;
    }

    private long millisSince(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(goneAt - t0);
    }

    @Test
    void aClientThatClosesIsSeenGoneWithinTheBound() throws Exception {
        SocketChannel ch = request("WAIT");
        long t0 = System.nanoTime();
        ch.close();
        assertThat(gone.await(BOUND_MILLIS, TimeUnit.MILLISECONDS))
                .as("the handler heard its client close")
                .isTrue();
        System.out.println((overSocket() ? "socket" : "tcp") + ": close seen after " + millisSince(t0) + " ms");
    }

    @Test
    void aClientProcessKilledWithSigkillIsSeenGoneWithinTheBound() throws Exception {
        Child client = overSocket()
                ? children.start(Client.class, home, "--port", "" + port, "WAIT", "--service", Residents.SERVICE)
                : children.start(
                        Client.class,
                        home,
                        "--port",
                        "" + port,
                        "WAIT",
                        "--service",
                        Residents.SERVICE,
                        "--no-local-socket");
        assertThat(started.await(30, TimeUnit.SECONDS))
                .as("the child's request reached the handler")
                .isTrue();
        assertThat(gone.await(QUIET_MILLIS, TimeUnit.MILLISECONDS))
                .as("the child waits: not gone")
                .isFalse();
        long t0 = System.nanoTime();
        client.kill9();
        assertThat(gone.await(BOUND_MILLIS, TimeUnit.MILLISECONDS))
                .as("the handler heard its client die")
                .isTrue();
        System.out.println((overSocket() ? "socket" : "tcp") + ": kill -9 seen after " + millisSince(t0) + " ms");
    }

    @Test
    void aClientThatWaitsIsNeverTakenAsGoneAndGetsItsAnswer() throws Exception {
        try (SocketChannel ch = request("WAIT")) {
            assertThat(gone.await(QUIET_MILLIS, TimeUnit.MILLISECONDS)).isFalse();
            release.countDown();
            assertThat(answer(ch)).isEqualTo("SUCCESS\ndone");
        }
    }

    @Test
    void bytesAfterTheRequestAreNoDeparture() throws Exception {
        try (SocketChannel ch = request("WAIT")) {
            ch.write(ByteBuffer.wrap("more bytes nobody asked for\n".getBytes(StandardCharsets.US_ASCII)));
            assertThat(gone.await(QUIET_MILLIS, TimeUnit.MILLISECONDS)).isFalse();
            release.countDown();
            assertThat(answer(ch)).isEqualTo("SUCCESS\ndone");
        }
    }

    @Test
    void aClientThatShutsItsOutputCountsAsGoneAndReadsWhy() throws Exception {
        try (SocketChannel ch = request("STOPME")) {
            ch.shutdownOutput();
            assertThat(gone.await(BOUND_MILLIS, TimeUnit.MILLISECONDS)).isTrue();
            assertThat(answer(ch)).isEqualTo("ERROR\n" + Dispatcher.CLIENT_GONE_MESSAGE);
        }
    }

    @Test
    void aHandlerInterruptedByItsActionLeavesNoInterruptBehind() throws Exception {
        request("STOPME").close();
        assertThat(gone.await(BOUND_MILLIS, TimeUnit.MILLISECONDS)).isTrue();
        // The thread that served it serves on: neither the next request nor the listener sees the interrupt.
        for (int i = 0; i < 3; i++) {
            Outcome o = app.tryRunOnce("FLAG", null, null);
            assertThat(o).as(o.message()).isInstanceOf(Outcome.Delegated.class);
            assertThat(((Outcome.Delegated) o).text()).isEqualTo("interrupted=false");
        }
        assertThat(server.localSocket() == null || java.nio.file.Files.exists(server.localSocket()))
                .isTrue();
    }

    @Test
    void aHandlerThatDoesNotAskRunsToItsEndAsBefore() throws Exception {
        request("DEAF").close();
        assertThat(gone.await(QUIET_MILLIS, TimeUnit.MILLISECONDS)).isFalse();
        release.countDown();
        assertThat(deafDone.await(30, TimeUnit.SECONDS))
                .as("the handler ran to its end")
                .isTrue();
        assertThat(interruptedAfter.get()).isFalse();
        Outcome o = app.tryRunOnce("FLAG", null, null);
        assertThat(o).as(o.message()).isInstanceOf(Outcome.Delegated.class);
    }
}
