package dev.solo.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.core.support.FakePeer;
import dev.solo.core.support.Loopback;
import dev.solo.core.support.Residents;
import dev.solo.core.support.ThreadHygiene;
import dev.solo.testing.Ports;
import dev.solo.testing.Prerequisite;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whoever holds a fixed port is classified, never joined: foreign programs of every kind, our
 * service run by another user, and our own resident that stopped answering.
 */
@ExtendWith(ThreadHygiene.class)
class ForeignHolderClaimTest {
    @TempDir
    Path home;

    private final int port = Ports.free();

    private SingleInstance app() {
        return Residents.app(home, PortPolicy.fixed(port))
                .probeTimeout(Duration.ofMillis(500))
                .build();
    }

    /** Claims against {@code holder} and checks it is foreign, still in place, and no second resident. */
    private String assertForeign(SingleInstance app, FakePeer holder) {
        ClaimResult r = app.claim();
        if (r instanceof ClaimResult.Claimed c) c.close();
        assertThat(r)
                .as("claim of port %d held by a fake: %s", port, r.message())
                .isInstanceOf(ClaimResult.ForeignService.class);
        assertThat(((ClaimResult.ForeignService) r).port()).isEqualTo(port);
        assertThat(r.message())
                .startsWith("Port " + port + " is held by another program that ")
                .endsWith(". Stop that program or choose another port.");
        if (holder != null)
            assertThat(holder.holdsPort()).as("the holder still holds the port").isTrue();
        assertThat(Residents.records(app.registry())).as("registry records").isEmpty();
        return r.message();
    }

    @Test
    void aServiceThatSendsGarbage() throws Exception {
        try (FakePeer ssh = FakePeer.listen(port, FakePeer.says("SSH-2.0-OpenSSH_9.6\r\n"))) {
            assertThat(assertForeign(app(), ssh))
                    .contains("answered 'SSH-2.0-OpenSSH_9.6' to HELLO; not a solo service");
        }
        try (FakePeer binary = FakePeer.listen(port, FakePeer.says("\u0000\u0001\u0002"))) {
            assertThat(assertForeign(app(), binary)).contains("HELLO");
        }
        try (FakePeer closer = FakePeer.listen(port, FakePeer.Connection::hangUp)) {
            assertThat(assertForeign(app(), closer)).contains("closed it without answering HELLO");
        }
    }

    @Test
    void anHttpServerWhoseHealthNamesAnotherService() throws Exception {
        String health = "{\"status\":\"running\",\"service\":\"grafana\",\"pid\":777}";
        try (FakePeer http = FakePeer.listen(port, FakePeer.http("grafana/11.2", health))) {
            SingleInstance httpApp = Residents.app(home, PortPolicy.fixed(port))
                    .protocol(Protocol.HTTP)
                    .build();
            assertThat(assertForeign(httpApp, http)).contains("answers as service 'grafana' (pid 777)");
            assertThat(assertForeign(app(), http))
                    .as("a line-protocol claim of the same port")
                    .contains("answered 'HTTP/1.1 400 Bad Request' to HELLO");
        }
        try (FakePeer other = FakePeer.listen(port, FakePeer.http("nginx/1.25", ""))) {
            SingleInstance httpApp = Residents.app(home, PortPolicy.fixed(port))
                    .protocol(Protocol.HTTP)
                    .build();
            assertThat(assertForeign(httpApp, other))
                    .contains("is an HTTP server (Server: 'nginx/1.25') that answered /health without a solo identity");
        }
    }

    @Test
    void aSilentAcceptorWithoutRecord() throws Exception {
        try (FakePeer silent = FakePeer.listen(port, FakePeer.silent())) {
            long start = System.nanoTime();
            assertThat(assertForeign(app(), silent))
                    .containsPattern("accepts connections but did not answer within \\d+ ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("time to classify")
                    .isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void aListenerOnIpv6LoopbackOnly() throws Exception {
        Prerequisite.IPV6_LOOPBACK.require();
        try (FakePeer v6 = FakePeer.listen(Loopback.V6, port, FakePeer.says("220 smtp.example ESMTP\r\n"))) {
            assertThat(assertForeign(app(), v6))
                    .contains("answered '220 smtp.example ESMTP' to HELLO")
                    .contains("(on [::1] only; 127.0.0.1 is free)");
        }
    }

    @Test
    void aListenerOnTheWildcardAddress() throws Exception {
        try (FakePeer any =
                FakePeer.listen(InetAddress.getByName("0.0.0.0"), port, FakePeer.says("* OK IMAP4 ready\r\n"))) {
            assertThat(assertForeign(app(), any)).contains("answered '* OK IMAP4 ready' to HELLO");
        }
    }

    @Test
    void ourServiceRunByAnotherUserIsOtherUser() throws Exception {
        SingleInstance app = app();
        try (FakePeer theirs = FakePeer.listen(port, FakePeer.hello(nonce -> {
            Map<String, Object> id = Residents.identityMap(port);
            id.put("user", "someone-else");
            id.put("pid", 31337L);
            id.put("proof", Token.random().proof(nonce, ServiceIdentity.fromMap(id)));
            return id;
        }))) {
            ClaimResult r = app.claim();
            assertThat(r).as("claim: %s", r.message()).isInstanceOf(ClaimResult.OtherUser.class);
            assertThat(((ClaimResult.OtherUser) r).identity().user()).isEqualTo("someone-else");
            assertThat(r.message())
                    .isEqualTo("solo-test on port " + port + " belongs to user 'someone-else' (pid 31337);"
                            + " it is not yours to use. Choose another port.");
            assertThat(theirs.holdsPort()).isTrue();
            assertThat(app.tryRunOnce("STDOUT", null, null)).isInstanceOf(Outcome.NoResident.class);
            assertThat(theirs.received()).doesNotContain(app.registry().token().value());
        }
    }

    @Test
    void ourResidentThatAcceptsButNeverAnswersIsHung() throws Exception {
        SingleInstance app = Residents.app(home, PortPolicy.fixed(port))
                .probeTimeout(Duration.ofMillis(200))
                .startWait(Duration.ofMillis(800))
                .build();
        long pid = ProcessHandle.current().pid();
        InstanceRecord record = Residents.record(port, pid, Instant.now().minus(Duration.ofHours(1)));
        app.registry().register(record);
        try (FakePeer hung = FakePeer.listen(port, FakePeer.silent())) {
            long start = System.nanoTime();
            ClaimResult r = app.claim();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(r).as("claim: %s", r.message()).isInstanceOf(ClaimResult.Hung.class);
            ClaimResult.Hung h = (ClaimResult.Hung) r;
            assertThat(h.record().pid()).isEqualTo(pid);
            assertThat(h.message()).contains("(pid " + pid + ") holds port " + port, "kill " + pid);
            assertThat(took)
                    .as("claim waited about the start-wait")
                    .isBetween(Duration.ofMillis(700), Duration.ofSeconds(10));
            assertThat(hung.holdsPort()).isTrue();
        }
    }

    @Test
    void ourResidentStillStartingIsStarting() throws Exception {
        Instant started = Instant.now();
        // The claimer's clock stands at the record's start: the resident is younger than the start-wait.
        SingleInstance app = Residents.app(home, PortPolicy.fixed(port))
                .probeTimeout(Duration.ofMillis(200))
                .startWait(Duration.ofMillis(600))
                .clock(Clock.fixed(started, ZoneOffset.UTC))
                .build();
        app.registry().register(Residents.record(port, ProcessHandle.current().pid(), started));
        try (FakePeer starting = FakePeer.listen(port, FakePeer.silent())) {
            ClaimResult r = app.claim();
            assertThat(r).as("claim: %s", r.message()).isInstanceOf(ClaimResult.Starting.class);
            assertThat(r.message()).contains("is starting on port " + port, "try again in a moment");
            assertThat(starting.holdsPort()).isTrue();
        }
    }
}
