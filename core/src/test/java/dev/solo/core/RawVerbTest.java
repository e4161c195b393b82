package dev.solo.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.solo.core.internal.Platform;
import dev.solo.core.support.FakeUsers;
import dev.solo.core.support.RawClient;
import dev.solo.core.support.Residents;
import dev.solo.core.support.ThreadHygiene;
import dev.solo.testing.Ports;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8 point 6: a raw ADR-007 request ({@code STDOUT\n}, no {@code AUTH}) is served byte for byte as
 * seed 003 specifies when the verb opted in and the kernel says the client is the resident's own user;
 * from another user, or where the OS cannot tell, it is refused as an unauthenticated request.
 */
@ExtendWith(ThreadHygiene.class)
class RawVerbTest {
    private static final String TEXT = "recognised text ✓\nline two";
    private static final String REFUSAL =
            "unauthenticated request 'STDOUT': send 'AUTH <token>' first (the per-user token file; see docs/protocol.md)";

    @TempDir
    Path home;

    private final FakeUsers users = new FakeUsers();
    private final AtomicInteger calls = new AtomicInteger();
    private LineServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private PeerUsers fake() {
        return new FakePeerUsers(users);
    }

    private void start(PeerUsers peers) {
        SingleInstance app = Residents.app(home, PortPolicy.fixed(Ports.free())).build();
        LineServer.Builder b = LineServer.builder(app)
                .verb(Verb.exclusive("STDOUT", r -> {
                            calls.incrementAndGet();
                            return Response.success(TEXT);
                        })
                        .withRawFromSameUser())
                .verb(Verb.exclusive("CLIPBOARD", r -> {
                            calls.incrementAndGet();
                            return Response.ok();
                        })
                        .withRawFromSameUser())
                .verb(Verb.concurrent("SECRET", r -> {
                    calls.incrementAndGet();
                    return Response.success("never raw");
                }));
        if (peers != null) b.peerUsers(peers);
        server = b.start(Residents.claim(app));
    }

    private String raw(String request, boolean stranger) throws Exception {
        try (RawClient c = RawClient.connectFrom(server.port(), port -> {
            if (stranger) users.mark(port);
        })) {
            c.send(request);
            return c.readToEnd().text();
        }
    }

    @Test
    void theSameUsersRawRequestsAreServedAsTheSeedSays() throws Exception {
        start(fake());
        assertThat(raw("STDOUT\n", false)).isEqualTo("SUCCESS\n" + TEXT);
        assertThat(raw("CLIPBOARD\n", false)).isEqualTo("SUCCESS\n");
        assertThat(raw("CLIPBOARD\r\n", false)).as("telnet's line end").isEqualTo("SUCCESS\n");
        assertThat(calls.get()).isEqualTo(3);
    }

    @Test
    void anotherUsersRawRequestIsRefusedWithoutAction() throws Exception {
        start(fake());
        assertThat(raw("STDOUT\n", true)).isEqualTo("ERROR\n" + REFUSAL);
        assertThat(raw("CLIPBOARD\n", true)).startsWith("ERROR\nunauthenticated request 'CLIPBOARD'");
        assertThat(calls.get()).isZero();
    }

    @Test
    void aVerbThatDidNotOptInIsNeverServedRaw() throws Exception {
        start(fake());
        assertThat(raw("SECRET\n", false)).startsWith("ERROR\nunauthenticated request 'SECRET'");
        assertThat(calls.get()).isZero();
    }

    @Test
    void whereTheOsCannotTellEveryRawRequestIsRefused() throws Exception {
        start(PeerUsers.NONE);
        assertThat(raw("STDOUT\n", false)).isEqualTo("ERROR\n" + REFUSAL);
        assertThat(calls.get()).isZero();
    }

    /** The real kernel table: this JVM is the resident's own user. */
    @Test
    void theKernelTellsThisProcessIsTheSameUser() throws Exception {
        assumeTrue(PeerUsers.forPlatform().available(), "only where /proc/net/tcp tells socket owners (Linux)");
        start(null);
        assertThat(raw("STDOUT\n", false)).isEqualTo("SUCCESS\n" + TEXT);
        // and over the IPv6 loopback, where the client socket shows in /proc/net/tcp6
        assumeTrue(Platform.hasIpv6Loopback(), "no IPv6 loopback here");
        try (java.net.Socket s = new java.net.Socket(Platform.LOOPBACK_V6, server.port())) {
            s.getOutputStream().write("STDOUT\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            s.shutdownOutput();
            assertThat(new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("SUCCESS\n" + TEXT);
        }
    }
}
