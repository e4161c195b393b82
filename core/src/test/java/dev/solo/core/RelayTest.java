package dev.solo.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.core.internal.Json;
import dev.solo.core.support.FakePeer;
import dev.solo.core.support.Loopback;
import dev.solo.core.support.Residents;
import dev.solo.testing.Ports;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay attack of the trust review: a process holds the port of a stopped resident and passes each
 * client's {@code HELLO <nonce>} on to another live resident of the same user, which shares the token
 * and signs any nonce. The proof is bound to the endpoint (service, port, instance, pid), so the answer
 * names the other resident, and the client refuses it before it sends anything that acts.
 */
class RelayTest {
    @TempDir
    Path home;

    private final int port = Ports.free();
    private SingleInstance client;
    private LineServer elsewhere;

    @BeforeEach
    void start() {
        client = Residents.app(home, PortPolicy.fixed(port)).build();
    }

    @AfterEach
    void stop() {
        if (elsewhere != null) elsewhere.close();
    }

    /** A live resident of this user (same registry, same token) on another port. */
    private LineServer liveResident(String service) {
        SingleInstance other = SingleInstance.builder(service)
                .version("test")
                .policy(PortPolicy.fixed(Ports.free()))
                .registry(Registry.at(home))
                .build();
        elsewhere = Residents.serve(other, Verb.exclusive("STDOUT", r -> Response.success("real answer")));
        return elsewhere;
    }

    /** On {@code HELLO}, asks {@code target} the same and returns its answer (edited), then records all. */
    private static FakePeer relay(int port, int target, UnaryOperator<Map<String, Object>> edit) throws IOException {
        return FakePeer.listen(port, c -> {
            String hello = c.readLine();
            if (hello == null || !hello.startsWith("HELLO ")) return;
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(Loopback.V4, target), 2000);
                s.setSoTimeout(2000);
                OutputStream out = s.getOutputStream();
                out.write((hello + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                String answer = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
                Map<String, Object> id = Json.parseObject(answer.substring("HELLO ".length()));
                c.write("HELLO " + Json.write(edit.apply(id)) + "\n");
            }
            c.drain();
        });
    }

    private void assertNothingActingWasSent(FakePeer relay) {
        assertThat(relay.accepted()).as("the relay was asked").isPositive();
        assertThat(relay.received())
                .contains("HELLO ")
                .doesNotContain("AUTH")
                .doesNotContain(client.registry().token().value())
                .doesNotContain("STDOUT")
                .doesNotContain("secret");
    }

    @Test
    void aRelayToAnotherServiceOfTheSameUserIsRefused() throws Exception {
        LineServer ocr = liveResident("solo-relayed");
        try (FakePeer relay = relay(port, ocr.port(), id -> id)) {
            assertThat(client.find()).isEmpty();
            Outcome o = client.tryRunOnce("STDOUT", "secret-args", "secret-body".getBytes(StandardCharsets.UTF_8));
            assertThat(o).as("outcome: %s", o.message()).isInstanceOf(Outcome.NoResident.class);
            ClaimResult claim = client.claim();
            assertThat(claim).isInstanceOf(ClaimResult.ForeignService.class);
            assertThat(claim.message())
                    .contains("Port " + port + " is held by another program")
                    .contains("identity of solo-relayed on port " + ocr.port())
                    .contains("relays another program's answer");
            assertNothingActingWasSent(relay);
        }
    }

    @Test
    void aRelayToTheSameServiceOnAnotherPortIsRefused() throws Exception {
        LineServer twin = liveResident(Residents.SERVICE);
        try (FakePeer relay = relay(port, twin.port(), id -> id)) {
            assertThat(client.find()).isEmpty();
            assertThat(client.tryRunOnce("STDOUT", "secret", null)).isInstanceOf(Outcome.NoResident.class);
            ClaimResult claim = client.claim();
            assertThat(claim).isInstanceOf(ClaimResult.ForeignService.class);
            assertThat(claim.message()).contains("Port " + port).contains("on port " + twin.port() + ", not its own");
            assertNothingActingWasSent(relay);
        }
    }

    /** Rewriting the identity to name the dialed service and port breaks the proof instead. */
    @Test
    void aRelayThatRewritesTheIdentityCannotProveIt() throws Exception {
        LineServer ocr = liveResident("solo-relayed");
        try (FakePeer relay = relay(port, ocr.port(), id -> {
            id.put("service", Residents.SERVICE);
            id.put("port", (long) port);
            return id;
        })) {
            assertThat(client.find()).isEmpty();
            assertThat(client.tryRunOnce("STDOUT", "secret", null)).isInstanceOf(Outcome.NoResident.class);
            ClaimResult claim = client.claim();
            assertThat(claim).isInstanceOf(ClaimResult.ForeignService.class);
            assertThat(claim.message()).contains("Port " + port).contains("cannot prove it knows your token");
            assertNothingActingWasSent(relay);
        }
    }

    /** The relayed resident's pid is never reported as the holder's: nobody is told to kill it. */
    @Test
    void theRelayedPidIsNeverOffered() throws Exception {
        LineServer ocr = liveResident("solo-relayed");
        try (FakePeer relay = relay(port, ocr.port(), id -> id)) {
            ClaimResult claim = client.claim();
            // only the kernel's word names a pid: the holder's own (here this JVM), never the relayed one
            String claimed = claim.message().replaceFirst("; its socket belongs to .*", "");
            assertThat(claimed).doesNotContain("pid").doesNotContain("kill");
            assertThat(claim.message()).doesNotContain("kill");
            assertNothingActingWasSent(relay);
        }
    }
}
