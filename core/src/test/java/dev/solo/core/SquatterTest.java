package dev.solo.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.core.support.FakePeer;
import dev.solo.core.support.Residents;
import dev.solo.core.support.ThreadHygiene;
import dev.solo.testing.Ports;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A port squatter that looks exactly like our resident (same service, same user) but cannot prove it
 * knows the token: it must learn nothing, and nobody may mistake it for the resident.
 */
@ExtendWith(ThreadHygiene.class)
class SquatterTest {
    @TempDir
    Path home;

    private final int port = Ports.free();
    private SingleInstance app;
    private String token;
    private FakePeer squatter;

    @BeforeEach
    void squat() throws Exception {
        app = Residents.app(home, PortPolicy.fixed(port)).build();
        token = app.registry().token().value();
        squatter = FakePeer.listen(port, FakePeer.hello(nonce -> {
            Map<String, Object> id = Residents.identityMap(port);
            id.put(
                    "proof",
                    Token.random().proof(nonce, ServiceIdentity.fromMap(id))); // well-formed, but of another token
            return id;
        }));
        // A stale record pointing at the port makes the squatter the first place a client looks.
        app.registry().register(Residents.record(port, ProcessHandle.current().pid(), Instant.now()));
    }

    @AfterEach
    void leave() throws Exception {
        squatter.close();
    }

    private void assertTokenNeverSent() {
        assertThat(squatter.accepted()).as("the squatter was asked at all").isPositive();
        assertThat(squatter.received())
                .as("everything the squatter received")
                .contains("HELLO ")
                .doesNotContain(token)
                .doesNotContain("AUTH")
                .doesNotContain("STDOUT");
    }

    @Test
    void aClientNeverSendsItsTokenToAResidentWithoutProof() {
        Outcome o = app.tryRunOnce("STDOUT", "secret-args", "secret-body".getBytes(StandardCharsets.UTF_8));
        assertThat(o).as("outcome: %s", o.message()).isInstanceOf(Outcome.NoResident.class);
        assertThat(FallbackPolicy.DEFAULT.runStandalone(o)).isTrue();
        assertTokenNeverSent();
        assertThat(squatter.received()).doesNotContain("secret");
    }

    @Test
    void findDoesNotReportIt() {
        assertThat(app.find()).isEmpty();
        assertTokenNeverSent();
    }

    @Test
    void aClaimReportsItAsForeignAndLeavesItThere() {
        ClaimResult r = app.claim();
        assertThat(r).as("claim: %s", r.message()).isInstanceOf(ClaimResult.ForeignService.class);
        assertThat(r.message())
                .contains("Port " + port)
                .contains("calls itself solo-test of user " + app.user())
                .contains("cannot prove it knows your token (" + app.registry().tokenFile() + ")");
        assertThat(squatter.holdsPort()).isTrue();
        assertTokenNeverSent();
    }

    @Test
    void aMissingProofIsNoProof() throws Exception {
        squatter.close();
        try (FakePeer noProof = FakePeer.listen(port, FakePeer.hello(nonce -> Residents.identityMap(port)))) {
            assertThat(app.tryRunOnce("STDOUT", null, null)).isInstanceOf(Outcome.NoResident.class);
            assertThat(app.claim()).isInstanceOf(ClaimResult.ForeignService.class);
            assertThat(noProof.received()).doesNotContain(token);
        }
    }

    @Test
    void aReplayedProofOfAnotherNonceIsNoProof() throws Exception {
        squatter.close();
        String replayed = app.registry()
                .token()
                .proof(
                        Token.nonce(),
                        ServiceIdentity.fromMap(Residents.identityMap(port))); // a proof it once saw on the wire
        try (FakePeer replayer = FakePeer.listen(port, FakePeer.hello(nonce -> {
            Map<String, Object> id = Residents.identityMap(port);
            id.put("proof", replayed);
            return id;
        }))) {
            assertThat(app.tryRunOnce("STDOUT", null, null)).isInstanceOf(Outcome.NoResident.class);
            assertThat(replayer.received()).doesNotContain(token);
        }
    }
}
