package dev.solo.monitor.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.solo.testing.RawHttp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The handler Jetty runs with while the monitor's store still opens: requests accepted meanwhile wait,
 * and are then answered by the API, or 503 with the reason when the start fails or the wait is too long.
 * A real Jetty on a loopback port and real connections.
 */
@Timeout(60)
class StartGateTest {
    private Server jetty;

    @AfterEach
    void stop() throws Exception {
        if (jetty != null) jetty.stop();
    }

    @Test
    void aRequestThatArrivesBeforeTheApiWaitsAndIsThenAnsweredByIt() throws Exception {
        StartGate gate = new StartGate(Duration.ofSeconds(30));
        int port = serve(gate);
        CompletableFuture<RawHttp.Reply> reply = send(port, "POST", "/api/hooks/x", "{\"n\":1}");
        await().atMost(Duration.ofSeconds(20)).until(() -> gate.held() == 1);
        assertThat(reply).as("nothing is answered before the API exists").isNotDone();
        gate.open(new Echo());
        RawHttp.Reply r = reply.get(20, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).as("the API got the request, body and all").isEqualTo("POST /api/hooks/x {\"n\":1}");
        assertThat(gate.held()).isZero();
        // and later ones go straight through
        assertThat(send(port, "GET", "/health", null).get(20, TimeUnit.SECONDS).body())
                .isEqualTo("GET /health ");
    }

    @Test
    void aStartThatFailsAnswersWaitingAndLaterRequests503WithTheReason() throws Exception {
        StartGate gate = new StartGate(Duration.ofSeconds(30));
        int port = serve(gate);
        CompletableFuture<RawHttp.Reply> reply = send(port, "GET", "/health", null);
        await().atMost(Duration.ofSeconds(20)).until(() -> gate.held() == 1);
        gate.fail("cannot open the event database /tmp/x.db");
        RawHttp.Reply r = reply.get(20, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.body()).contains("the monitor could not start: cannot open the event database /tmp/x.db");
        RawHttp.Reply later = send(port, "GET", "/health", null).get(20, TimeUnit.SECONDS);
        assertThat(later.status()).isEqualTo(503);
        assertThat(later.body()).contains("could not start");
    }

    @Test
    void aRequestThatWaitsLongerThanThePatienceGets503NamingTheWait() throws Exception {
        StartGate gate = new StartGate(Duration.ofMillis(100));
        int port = serve(gate);
        RawHttp.Reply r = send(port, "GET", "/health", null).get(20, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.body()).contains("still opening its database after 100 ms").contains("try again");
        assertThat(gate.held()).isZero();
    }

    @Test
    void waitingRequestsHoldNoThreadSoMoreOfThemThanThePoolHasThreadsAllWaitAndAreAnswered() throws Exception {
        StartGate gate = new StartGate(Duration.ofSeconds(30));
        QueuedThreadPool pool = new QueuedThreadPool(8, 2);
        int port = serve(gate, pool);
        int clients = 24; // three times the pool's threads
        ExecutorService senders = Executors.newFixedThreadPool(clients);
        try {
            List<CompletableFuture<RawHttp.Reply>> replies = new ArrayList<>();
            for (int i = 0; i < clients; i++) replies.add(send(port, "GET", "/health", null, senders));
            // a request that held a pool thread while it waited could not be one of 24 waiting at once here
            await().atMost(Duration.ofSeconds(20)).until(() -> gate.held() == clients);
            gate.open(new Echo());
            for (CompletableFuture<RawHttp.Reply> r : replies) {
                assertThat(r.get(20, TimeUnit.SECONDS).body()).isEqualTo("GET /health ");
            }
            assertThat(gate.held()).isZero();
        } finally {
            senders.shutdownNow();
        }
    }

    @Test
    void jettyStopsPromptlyWithRequestsStillWaitingAndNoneIsLeftHeld() throws Exception {
        StartGate gate = new StartGate(Duration.ofSeconds(30));
        int port = serve(gate);
        CompletableFuture<RawHttp.Reply> reply = send(port, "GET", "/health", null);
        await().atMost(Duration.ofSeconds(20)).until(() -> gate.held() == 1);
        jetty.stop(); // the connector closes the connection first; the gate then ends what it held
        assertThat(gate.held()).isZero();
        // the client sees the end: a 503 "stopping" if it got there before the close, else the close itself
        assertThat(reply.handle((r, e) -> r == null || r.status() == 503).get(20, TimeUnit.SECONDS))
                .isTrue();
    }

    private int serve(Handler handler) throws Exception {
        return serve(handler, new QueuedThreadPool());
    }

    private int serve(Handler handler, QueuedThreadPool pool) throws Exception {
        jetty = new Server(pool);
        ServerConnector c = new ServerConnector(jetty);
        c.setHost("127.0.0.1");
        c.setPort(0);
        jetty.addConnector(c);
        jetty.setErrorHandler(new JsonErrors());
        jetty.setHandler(handler);
        jetty.start();
        return c.getLocalPort();
    }

    private static CompletableFuture<RawHttp.Reply> send(int port, String method, String path, String body) {
        return send(port, method, path, body, ForkJoinPool.commonPool());
    }

    private static CompletableFuture<RawHttp.Reply> send(
            int port, String method, String path, String body, Executor executor) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return RawHttp.send(
                                port,
                                method,
                                path,
                                Map.of(),
                                body == null ? null : body.getBytes(StandardCharsets.UTF_8));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                },
                executor);
    }

    /** Answers the method, path and body it got. */
    private static final class Echo extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String body = Content.Source.asString(request, StandardCharsets.UTF_8);
            response.setStatus(200);
            Content.Sink.write(
                    response,
                    true,
                    request.getMethod() + " " + request.getHttpURI().getPath() + " " + body,
                    callback);
            return true;
        }
    }
}
