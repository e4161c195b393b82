package dev.solo.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.solo.core.ClaimResult;
import dev.solo.core.InstanceRecord;
import dev.solo.core.LineServer;
import dev.solo.core.LiveInstance;
import dev.solo.core.Outcome;
import dev.solo.core.PortPolicy;
import dev.solo.core.Registry;
import dev.solo.core.SingleInstance;
import dev.solo.core.testapp.LineResident;
import dev.solo.testing.Child;
import dev.solo.testing.Children;
import dev.solo.testing.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A resident killed with {@code kill -9} cleans up nothing: its port must still be claimable at once,
 * and its registry record must be recognised as stale and removed by the next reader.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class KillNineIT {
    /** How long a child JVM may take to start and claim: generous, for two cores under a load of 50+. */
    private static final Duration WAIT = Duration.ofSeconds(120);
    /** How long a probe waits for the resident's answer: generous for the same reason (default 1 s). */
    private static final Duration PROBE = Duration.ofSeconds(15);
    /**
     * "At once" is what the claim decides, not how fast the machine is: a claim that took the dead
     * resident's port or record for a starting one would wait this long for it, far past the class's
     * timeout, and the test would fail; a claim that sees it is dead never waits at all.
     */
    private static final Duration START_WAIT = Duration.ofMinutes(10);

    @RegisterExtension
    final Children children = new Children();

    @TempDir
    Path dir;

    private Path home;
    private Registry registry;

    @BeforeEach
    void setUp() {
        home = dir.resolve("solo-home");
        registry = Registry.at(home);
    }

    @Test
    void fixedPortIsClaimedAtOnceAfterKill9() {
        int port = Ports.free();
        SingleInstance app = SingleInstance.builder(LineResident.SERVICE)
                .policy(PortPolicy.fixed(port))
                .registry(registry)
                .startWait(START_WAIT)
                .probeTimeout(PROBE)
                .build();
        SingleInstance overTcp = SingleInstance.builder(LineResident.SERVICE)
                .policy(PortPolicy.fixed(port))
                .registry(registry)
                .localSocket(false)
                .build();
        long deadPid = killedResident(
                port,
                resident -> {
                    // a served request leaves the resident's side of the connection in TIME_WAIT on the port
                    assertThat(overTcp.tryRunOnce("CLIPBOARD", null, null)).isInstanceOf(Outcome.Delegated.class);
                },
                "--port",
                String.valueOf(port));

        assertClaimedAtOnceAndStaleRecordDropped(app, port, deadPid);
    }

    @Test
    void rangeIsClaimedAtItsLowestPortAtOnceAfterKill9() {
        int start = Ports.freeRange(3);
        SingleInstance app = SingleInstance.builder(LineResident.SERVICE)
                .policy(PortPolicy.range(start, start + 2))
                .registry(registry)
                .startWait(START_WAIT)
                .probeTimeout(PROBE)
                .build();
        CompletableFuture<Outcome> inFlight = new CompletableFuture<>();
        long deadPid = killedResident(
                start,
                resident -> {
                    // killed with a request in flight: an open connection on the port dies with it
                    CompletableFuture.supplyAsync(() -> app.tryRunOnce("SLOW", null, null))
                            .whenComplete((o, e) -> inFlight.complete(o));
                    resident.awaitLine("HANDLED SLOW"::equals, WAIT, "HANDLED SLOW");
                },
                "--range",
                String.valueOf(start),
                String.valueOf(start + 2));

        assertThat(inFlight).succeedsWithin(WAIT).isInstanceOf(Outcome.ResidentLost.class);
        assertClaimedAtOnceAndStaleRecordDropped(app, start, deadPid);
    }

    @Test
    void newResidentChildTakesOverAfterKill9() {
        int start = Ports.freeRange(3);
        long deadPid =
                killedResident(start, resident -> {}, "--range", String.valueOf(start), String.valueOf(start + 2));

        Child next =
                children.start(LineResident.class, home, "--range", String.valueOf(start), String.valueOf(start + 2));
        assertThat(next.awaitLineStartingWith("CLAIMED ", WAIT)).isEqualTo("CLAIMED " + start);

        List<LiveInstance> live = registry.live();
        assertThat(live).extracting(l -> l.record().pid()).containsExactly(next.pid());
        assertThat(live.get(0).answering()).isTrue();
        assertThat(registry.records()).extracting(InstanceRecord::pid).doesNotContain(deadPid);
    }

    /**
     * Issue 13: {@code kill -9} leaves the same-user socket file behind. A client meets a refused socket
     * and goes on over TCP (no resident there either); the next resident removes the file under the
     * protection of its claim, and clients take its new socket.
     */
    @Test
    void aSocketFileLeftByKill9NeverBlocksTheNextResident() {
        int port = Ports.free();
        SingleInstance client = SingleInstance.builder(LineResident.SERVICE)
                .policy(PortPolicy.fixed(port))
                .registry(registry)
                .build();
        long deadPid = killedResident(port, resident -> {}, "--port", String.valueOf(port));
        Path socket = client.registry().home().resolve("run").resolve(LineResident.SERVICE + "-p" + port + ".sock");
        assertThat(socket).as("kill -9 left the socket file").exists();

        long t0 = System.nanoTime();
        assertThat(client.tryRunOnce("WHO", null, null)).isInstanceOf(Outcome.NoResident.class);
        assertThat(Duration.ofNanos(System.nanoTime() - t0))
                .as("refused at once")
                .isLessThan(Duration.ofSeconds(5));
        assertThat(socket).as("a client never removes it").exists();

        Child next = children.start(LineResident.class, home, "--port", String.valueOf(port));
        assertThat(next.awaitLineStartingWith("CLAIMED ", WAIT)).isEqualTo("CLAIMED " + port);
        Outcome o = client.tryRunOnce("WHO", null, null);
        assertThat(o).as(o.message()).isInstanceOf(Outcome.Delegated.class);
        assertThat(((Outcome.Delegated) o).text()).contains("-local-");
        assertThat(((Outcome.Delegated) o).resident().pid())
                .isEqualTo(next.pid())
                .isNotEqualTo(deadPid);
    }

    /** Starts a resident, checks it registered, lets it work, kills it with -9; returns its pid. */
    private long killedResident(int expectedPort, Consumer<Child> work, String... policy) {
        Child resident = children.start(LineResident.class, home, policy);
        assertThat(resident.awaitLineStartingWith("CLAIMED ", WAIT)).isEqualTo("CLAIMED " + expectedPort);
        assertThat(registry.records())
                .extracting(InstanceRecord::pid, InstanceRecord::port)
                .containsExactly(tuple(resident.pid(), expectedPort));
        work.accept(resident);

        resident.kill9();

        assertThat(resident.process().exitValue()).isEqualTo(137);
        // kill -9 ran no cleanup: the record is still there, now stale
        assertThat(registry.records()).extracting(InstanceRecord::pid).containsExactly(resident.pid());
        return resident.pid();
    }

    private void assertClaimedAtOnceAndStaleRecordDropped(SingleInstance app, int port, long deadPid) {
        ClaimResult result = app.claim(); // waits up to START_WAIT if it mistook the dead resident for a live one

        assertThat(result).as("claim after kill -9").isInstanceOf(ClaimResult.Claimed.class);
        ClaimResult.Claimed claimed = (ClaimResult.Claimed) result;
        assertThat(claimed.port()).isEqualTo(port);

        try (LineServer server = LineServer.builder(app).start(claimed)) {
            List<LiveInstance> live = registry.live();
            assertThat(live)
                    .extracting(l -> l.record().pid(), l -> l.record().port(), LiveInstance::answering)
                    .containsExactly(tuple(ProcessHandle.current().pid(), port, true));
            assertThat(live).extracting(l -> l.record().pid()).doesNotContain(deadPid);
            assertThat(registry.records())
                    .as("the dead holder's record is gone")
                    .extracting(InstanceRecord::pid)
                    .containsExactly(ProcessHandle.current().pid());
            assertThat(registry.instancesDir())
                    .isDirectoryContaining(p -> p.getFileName()
                            .toString()
                            .equals(LineResident.SERVICE + "@" + port + "@"
                                    + server.identity().instance() + ".json"));
        }
        assertThat(registry.records()).isEmpty();
    }
}
