package dev.solo.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.core.support.FakeUsers;
import dev.solo.core.support.RawClient;
import dev.solo.core.support.Residents;
import dev.solo.core.support.ThreadHygiene;
import dev.solo.testing.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8 point 5 in one JVM: connections that wait at the door without a first line (or without
 * {@code AUTH}) are capped per OS user, so another user's flood closes only its own connections, and
 * {@code PING}, {@code HELLO} and delegation keep working. Who owns a connection comes from {@link
 * FakeUsers}; {@code it.AttackIT} runs the same flood as the real user {@code nobody}.
 */
@ExtendWith(ThreadHygiene.class)
class IdleCapTest {
    private static final Duration SHORT = Duration.ofMillis(300);

    @TempDir
    Path home;

    private final FakeUsers users = new FakeUsers();
    private final List<RawClient> clients = new ArrayList<>();
    private LineServer server;

    @AfterEach
    void closeAll() throws Exception {
        for (RawClient c : clients) c.close();
        if (server != null) server.close();
    }

    private PeerUsers fake() {
        return new FakePeerUsers(users);
    }

    private SingleInstance start(PeerUsers peers, int perUser) {
        SingleInstance app = Residents.app(home, PortPolicy.fixed(Ports.free())).build();
        server = LineServer.builder(app)
                .verb(Verb.concurrent("ECHO", r -> Response.success(r.args())))
                .firstLineTimeout(Duration.ofSeconds(30)) // idle connections stay until the cap closes them
                .maxIdlePerUser(perUser)
                .peerUsers(peers)
                .start(Residents.claim(app));
        return app;
    }

    private RawClient idle(boolean stranger) throws Exception {
        RawClient c = RawClient.connectFrom(server.port(), port -> {
            if (stranger) users.mark(port);
        });
        clients.add(c);
        return c;
    }

    @Test
    void anotherUsersFloodClosesOnlyItsOwnOldestConnections() throws Exception {
        SingleInstance app = start(fake(), 16);
        List<RawClient> ours = new ArrayList<>();
        for (int i = 0; i < 5; i++) ours.add(idle(false));
        List<RawClient> theirs = new ArrayList<>();
        for (int i = 0; i < 200; i++) theirs.add(idle(true));

        // Every request of ours goes through while the flood waits at the door.
        assertThat(RawClient.exchange(server.port(), "PING\n").text()).isEqualTo("PONG\n");
        assertThat(app.find()).get().extracting(ServiceIdentity::port).isEqualTo(server.port());
        Outcome o = app.tryRunOnce("ECHO", "still here", null);
        assertThat(o).isInstanceOf(Outcome.Delegated.class);
        assertThat(((Outcome.Delegated) o).text()).isEqualTo("still here");

        int closed = 0;
        for (RawClient c : theirs) if (c.endedWithin(SHORT)) closed++;
        assertThat(closed).as("stranger connections closed by the cap of 16").isGreaterThanOrEqualTo(200 - 16);
        for (RawClient c : theirs.subList(theirs.size() - 16, theirs.size())) {
            assertThat(c.endedWithin(Duration.ofMillis(50)))
                    .as("the newest 16 of the stranger's are kept")
                    .isFalse();
        }
        for (RawClient c : ours) {
            c.send("PING\n");
            assertThat(c.readToEnd().text()).as("our idle connection was kept").isEqualTo("PONG\n");
        }
    }

    @Test
    void whereUsersCannotBeToldApartOneCapClosesTheOldest() throws Exception {
        start(PeerUsers.NONE, 4); // 16 in all
        List<RawClient> waiting = new ArrayList<>();
        for (int i = 0; i < 20; i++) waiting.add(idle(false));
        assertThat(RawClient.exchange(server.port(), "PING\n").text()).isEqualTo("PONG\n");
        // The PING is answered and never waits; the oldest four of twenty are over the cap. The PING's own
        // connection is at the door too until its line arrives: on a busy machine that is after the accept,
        // and then it counts, closing the fifth oldest as well. Every newer one is kept.
        for (RawClient c : waiting.subList(0, 4)) {
            assertThat(c.endedWithin(Duration.ofSeconds(5)))
                    .as("one of the oldest four")
                    .isTrue();
        }
        for (RawClient c : waiting.subList(5, 20)) {
            c.send("PING\n");
            assertThat(c.readToEnd().text()).as("a newer connection").isEqualTo("PONG\n");
        }
    }

    @Test
    void anEvictedConnectionIsToldWhy() throws Exception {
        start(fake(), 1);
        RawClient first = idle(true);
        idle(true);
        assertThat(first.readToEnd().errorMessage())
                .isEqualTo("too many connections are waiting from your OS user (at most 1); close some and retry");
    }
}
