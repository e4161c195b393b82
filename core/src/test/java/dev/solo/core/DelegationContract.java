package dev.solo.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.core.internal.Json;
import dev.solo.core.support.FakePeer;
import dev.solo.core.support.Residents;
import dev.solo.core.support.ThreadHygiene;
import dev.solo.testing.Ports;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SingleInstance#tryRunOnce}: each outcome, and what the default fallback makes of it. The same
 * suite runs over each transport: {@link TcpDelegationTest} (the proof, then {@code AUTH}) and {@link
 * SocketDelegationTest} (the same-user Unix socket). Resident and client share the {@code localSocket}
 * setting, and the fakes stand on the path under test; the child-process suites ({@code
 * it.TcpDelegationIT}) also run a TCP client against a resident that has its socket.
 */
@ExtendWith(ThreadHygiene.class)
@SuppressWarnings("try") // servers and fakes are opened to be there, not to be called
abstract class DelegationContract {
    @TempDir
    Path home;

    final int port = Ports.free();

    /** Whether the client goes over the same-user socket. */
    abstract boolean overSocket();

    /** The client (and resident) under test. */
    SingleInstance app() {
        return Residents.app(home, PortPolicy.fixed(port))
                .localSocket(overSocket())
                .build();
    }

    private static <T extends Outcome> T expect(Outcome o, Class<T> type) {
        assertThat(o).as("outcome: %s", o.message()).isInstanceOf(type);
        return type.cast(o);
    }

    @Test
    void delegatedCarriesTheExactPayload() {
        SingleInstance app = app();
        String text = "Größe ✓\nline two\n\n";
        try (LineServer server = Residents.serve(
                app,
                Verb.exclusive("STDOUT", r -> Response.success(text)),
                Verb.exclusive("CLIPBOARD", r -> Response.ok()))) {
            Outcome.Delegated d = expect(app.tryRunOnce("STDOUT", null, null), Outcome.Delegated.class);
            assertThat(d.text()).isEqualTo(text);
            assertThat(d.resident().port()).isEqualTo(server.port());
            assertThat(d.resident().pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(expect(app.tryRunOnce("CLIPBOARD", "", null), Outcome.Delegated.class)
                            .payload())
                    .isEmpty();
            assertThat(FallbackPolicy.DEFAULT.runStandalone(d)).isFalse();
        }
    }

    @Test
    void theRequestTakesTheTransportUnderTest() {
        SingleInstance app = app();
        try (LineServer server = Residents.serve(
                app,
                Verb.concurrent(
                        "WHO", r -> Response.success(Thread.currentThread().getName())))) {
            String thread = expect(app.tryRunOnce("WHO", null, null), Outcome.Delegated.class)
                    .text();
            assertThat(thread).contains(overSocket() ? "-local-" : "-conn-");
        }
    }

    @Test
    void argsReachTheHandler() {
        SingleInstance app = app();
        try (LineServer server =
                Residents.serve(app, Verb.concurrent("OPEN", r -> Response.success("[" + r.args() + "]")))) {
            assertThat(expect(app.tryRunOnce("OPEN", "/tmp/a b.png  x", null), Outcome.Delegated.class)
                            .text())
                    .isEqualTo("[/tmp/a b.png  x]");
        }
    }

    @Test
    void aMebibytePayloadArrivesIntact() {
        byte[] payload = new byte[1 << 20];
        new Random(7).nextBytes(payload);
        SingleInstance app = app();
        try (LineServer server = Residents.serve(app, Verb.concurrent("DUMP", r -> Response.success(payload)))) {
            assertThat(expect(app.tryRunOnce("DUMP", null, null), Outcome.Delegated.class)
                            .payload())
                    .isEqualTo(payload);
        }
    }

    @Test
    void aBodyVerbGetsTheExactBytesAndItsArgs() {
        byte[] image = new byte[(1 << 20) + 3];
        new Random(11).nextBytes(image);
        AtomicReference<Request> seen = new AtomicReference<>();
        SingleInstance app = app();
        Verb imageVerb = Verb.exclusive("IMAGE", r -> {
                    seen.set(r);
                    return Response.success(r.body().length + " bytes");
                })
                .withBody(2 << 20);
        try (LineServer server = Residents.serve(app, imageVerb)) {
            assertThat(expect(app.tryRunOnce("IMAGE", "png lang=eng", image), Outcome.Delegated.class)
                            .text())
                    .isEqualTo(image.length + " bytes");
            assertThat(seen.get().body()).isEqualTo(image);
            assertThat(seen.get().args()).isEqualTo("png lang=eng");
            assertThat(expect(app.tryRunOnce("IMAGE", null, new byte[0]), Outcome.Delegated.class)
                            .text())
                    .isEqualTo("0 bytes");
        }
    }

    @Test
    void aBodyOverTheVerbsMaximumIsRefusedUnread() {
        AtomicInteger calls = new AtomicInteger();
        SingleInstance app = app();
        Verb imageVerb = Verb.exclusive("IMAGE", r -> {
                    calls.incrementAndGet();
                    return Response.ok();
                })
                .withBody(1000);
        try (LineServer server = Residents.serve(app, imageVerb)) {
            Outcome.ResidentError tooBig =
                    expect(app.tryRunOnce("IMAGE", null, new byte[1001]), Outcome.ResidentError.class);
            assertThat(tooBig.error()).isEqualTo("IMAGE body of 1001 bytes is outside 0..1000; send a smaller one");
            // Far larger than the socket buffers: the client is still writing when the resident answers.
            // The resident drains it before closing, so the client reads the answer, not a reset.
            Outcome.ResidentError huge =
                    expect(app.tryRunOnce("IMAGE", null, new byte[2 * 1024 * 1024]), Outcome.ResidentError.class);
            assertThat(huge.error()).isEqualTo("IMAGE body of 2097152 bytes is outside 0..1000; send a smaller one");
            assertThat(calls.get()).isZero();
        }
    }

    @Test
    void aBusyResidentIsAResidentErrorThatIsNotRunAgainHere() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        SingleInstance app = app();
        try (LineServer server = Residents.serve(app, Verb.exclusive("CLIPBOARD", r -> {
            calls.incrementAndGet();
            entered.countDown();
            release.await(15, TimeUnit.SECONDS);
            return Response.ok();
        }))) {
            CompletableFuture<Outcome> first =
                    CompletableFuture.supplyAsync(() -> app.tryRunOnce("CLIPBOARD", null, null));
            assertThat(entered.await(15, TimeUnit.SECONDS))
                    .as("first request reached the handler")
                    .isTrue();

            Outcome.ResidentError busy = expect(app.tryRunOnce("CLIPBOARD", null, null), Outcome.ResidentError.class);
            assertThat(busy.error()).isEqualTo("Busy, please retry");
            assertThat(busy.busy()).isTrue();
            assertThat(busy.message()).isEqualTo("solo-test on port " + port + " answered: Busy, please retry");
            assertThat(FallbackPolicy.DEFAULT.runStandalone(busy))
                    .as("fallback for busy")
                    .isFalse();
            assertThat(calls.get()).isEqualTo(1);

            release.countDown();
            expect(first.get(15, TimeUnit.SECONDS), Outcome.Delegated.class);
        }
    }

    @Test
    void anErrorAnswerIsAResidentErrorButNotBusy() {
        SingleInstance app = app();
        try (LineServer server =
                Residents.serve(app, Verb.exclusive("STDOUT", r -> Response.error("cancelled by the user")))) {
            Outcome.ResidentError e = expect(app.tryRunOnce("STDOUT", null, null), Outcome.ResidentError.class);
            assertThat(e.error()).isEqualTo("cancelled by the user");
            assertThat(e.busy()).isFalse();
            assertThat(FallbackPolicy.DEFAULT.runStandalone(e)).isFalse();
            Outcome.ResidentError unknown = expect(app.tryRunOnce("NOPE", null, null), Outcome.ResidentError.class);
            assertThat(unknown.error()).isEqualTo("unknown verb 'NOPE'; solo-test serves STDOUT");
        }
    }

    @Test
    void nobodyThereIsNoResidentAndRunsStandalone() {
        Outcome.NoResident none = expect(app().tryRunOnce("STDOUT", null, null), Outcome.NoResident.class);
        assertThat(none.why()).isEqualTo("no solo-test of user " + app().user() + " answers on loopback port " + port);
        assertThat(FallbackPolicy.DEFAULT.runStandalone(none)).isTrue();
        assertThat(FallbackPolicy.NEVER.runStandalone(none)).isFalse();

        int base = Ports.freeRange(3);
        SingleInstance ranged = Residents.app(home, PortPolicy.range(base, base + 2))
                .localSocket(overSocket())
                .build();
        assertThat(ranged.tryRunOnce("STDOUT", null, null)).isInstanceOf(Outcome.NoResident.class);
    }

    /**
     * A resident of ours that reads the request and then does {@code afterRequest} instead of answering:
     * over TCP it first gives a valid proof; on the socket it greets as a resident does.
     */
    private FakePeer dyingResident(SingleInstance app, FakePeer.Script afterRequest) throws Exception {
        if (overSocket()) {
            return FakePeer.listenLocal(app.localSocketPath(), c -> {
                c.readLine(); // EXPIRES
                c.readLine(); // the verb
                ServiceIdentity id = ServiceIdentity.fromMap(Residents.identityMap(port));
                c.write(dev.solo.core.internal.LineCodec.greeting(id));
                afterRequest.run(c);
            });
        }
        return FakePeer.listen(port, c -> {
            String hello = c.readLine();
            Map<String, Object> id = Residents.identityMap(port);
            id.put(
                    "proof",
                    app.registry().token().proof(hello.substring("HELLO ".length()), ServiceIdentity.fromMap(id)));
            c.write("HELLO " + Json.write(id) + "\n");
            c.readLine(); // AUTH
            c.readLine(); // the verb
            afterRequest.run(c);
        });
    }

    @Test
    void aResidentThatClosesMidRequestIsLostAndRunsStandalone() throws Exception {
        SingleInstance app = app();
        try (FakePeer fake = dyingResident(app, FakePeer.Connection::close)) {
            Outcome.ResidentLost lost = expect(app.tryRunOnce("STDOUT", null, null), Outcome.ResidentLost.class);
            assertThat(lost.cause()).hasMessage("the connection closed before an answer");
            assertThat(lost.message()).contains("on port " + port, "dropped the request");
            assertThat(FallbackPolicy.DEFAULT.runStandalone(lost)).isTrue();
            if (overSocket()) {
                assertThat(fake.received()).contains("\nSTDOUT\n").doesNotContain("AUTH");
            } else {
                assertThat(fake.received())
                        .contains("AUTH " + app.registry().token().value() + "\nSTDOUT\n");
            }
        }
    }

    @Test
    void aGarbledAnswerIsLost() throws Exception {
        SingleInstance app = app();
        try (FakePeer fake = dyingResident(app, c -> c.write("OK\nwhatever"))) {
            Outcome.ResidentLost lost = expect(app.tryRunOnce("STDOUT", null, null), Outcome.ResidentLost.class);
            assertThat(lost.cause()).hasMessage("the answer began with 'OK' instead of SUCCESS or ERROR");
        }
    }

    @Test
    void aResidentThatNeverAnswersIsLostAfterTheAnswerTimeout() throws Exception {
        SingleInstance base = app();
        SingleInstance app = Residents.app(home, PortPolicy.fixed(port))
                .localSocket(overSocket())
                .answerTimeout(Duration.ofMillis(500))
                .build();
        try (FakePeer fake = dyingResident(base, FakePeer.Connection::drain)) {
            long start = System.nanoTime();
            Outcome.ResidentLost lost = expect(app.tryRunOnce("STDOUT", null, null), Outcome.ResidentLost.class);
            assertThat(lost.cause()).isInstanceOf(SocketTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isBetween(Duration.ofMillis(450), Duration.ofSeconds(10));
        }
    }

    @Test
    void theDefaultFallbackRunsStandaloneOnlyWhenNobodyDidTheWork() {
        ServiceIdentity id =
                new ServiceIdentity("s", "v", 1, "u", "i", Instant.EPOCH, 1, "", ServiceIdentity.State.IDLE);
        assertThat(FallbackPolicy.DEFAULT.runStandalone(new Outcome.NoResident("none")))
                .isTrue();
        assertThat(FallbackPolicy.DEFAULT.runStandalone(new Outcome.ResidentLost(id, new IOException("x"))))
                .isTrue();
        assertThat(FallbackPolicy.DEFAULT.runStandalone(new Outcome.ResidentError(id, "Busy, please retry")))
                .isFalse();
        assertThat(FallbackPolicy.DEFAULT.runStandalone(new Outcome.ResidentError(id, "cancelled")))
                .isFalse();
        // A resident that was stopping did not do the work: do it here.
        assertThat(FallbackPolicy.DEFAULT.runStandalone(new Outcome.ResidentError(id, "shutting down")))
                .isTrue();
        assertThat(FallbackPolicy.DEFAULT.runStandalone(new Outcome.Delegated(id, "x".getBytes(UTF_8))))
                .isFalse();
        assertThat(FallbackPolicy.NEVER.runStandalone(new Outcome.ResidentLost(id, new IOException("x"))))
                .isFalse();
    }
}
