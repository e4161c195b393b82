package dev.solo.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.core.support.FakePeer;
import dev.solo.core.support.Residents;
import dev.solo.testing.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SingleInstance#inspect()}: who holds the port, found without taking it or writing a record. */
class InspectTest {
    @TempDir
    Path home;

    private final int port = Ports.free();

    private SingleInstance app() {
        return Residents.app(home, PortPolicy.fixed(port)).build();
    }

    @Test
    void nobodyIsEmptyAndNothingIsBoundOrRecorded() throws Exception {
        SingleInstance app = app();
        assertThat(app.inspect()).isEmpty();
        assertThat(Residents.records(app.registry())).isEmpty();
        try (FakePeer stillFree = FakePeer.listen(port, FakePeer.silent())) {
            assertThat(stillFree.holdsPort()).as("inspect left the port free").isTrue();
        }
    }

    @Test
    void ourResidentIsRunning() {
        SingleInstance app = app();
        try (LineServer server = Residents.serve(app, Verb.exclusive("STDOUT", r -> Response.success("x")))) {
            Optional<ClaimResult> holder = app.inspect();
            assertThat(holder).get().isInstanceOf(ClaimResult.Running.class);
            assertThat(((ClaimResult.Running) holder.get()).identity().pid())
                    .isEqualTo(ProcessHandle.current().pid());
        }
    }

    @Test
    void aSilentProgramWithoutARecordIsForeign() throws Exception {
        try (FakePeer silent = FakePeer.listen(port, FakePeer.silent())) {
            ClaimResult holder = app().inspect().orElseThrow();
            assertThat(holder).isInstanceOf(ClaimResult.ForeignService.class);
            assertThat(holder.message()).contains("Port " + port).contains("did not answer");
        }
    }

    @Test
    void aSilentProcessOfOursIsHungWithItsPid() throws Exception {
        SingleInstance app = app();
        long pid = ProcessHandle.current().pid();
        app.registry().register(Residents.record(port, pid, Instant.now().minus(Duration.ofMinutes(5))));
        try (FakePeer silent = FakePeer.listen(port, FakePeer.silent())) {
            ClaimResult holder = app.inspect().orElseThrow();
            assertThat(holder).isInstanceOf(ClaimResult.Hung.class);
            assertThat(holder.message()).contains("pid " + pid).contains("port " + port);
        }
    }

    @Test
    void anotherUsersResidentIsOtherUser() throws Exception {
        try (FakePeer theirs = FakePeer.listen(port, FakePeer.hello(nonce -> {
            Map<String, Object> id = Residents.identityMap(port);
            id.put("user", "someone-else");
            return id;
        }))) {
            ClaimResult holder = app().inspect().orElseThrow();
            assertThat(holder).isInstanceOf(ClaimResult.OtherUser.class);
            assertThat(holder.message()).contains("belongs to user 'someone-else'");
        }
    }

    @Test
    void aNamedInstanceIsFoundByItsRecord() {
        SingleInstance named =
                Residents.app(home, PortPolicy.ephemeral()).name("demo").build();
        assertThat(named.inspect()).isEmpty();
        try (LineServer server = Residents.serve(named, Verb.exclusive("STDOUT", r -> Response.success("x")))) {
            assertThat(named.inspect()).get().isInstanceOf(ClaimResult.Running.class);
            SingleInstance other =
                    Residents.app(home, PortPolicy.ephemeral()).name("other").build();
            assertThat(other.inspect()).as("another name holds nothing of ours").isEmpty();
        }
    }

    /**
     * A stopped resident of a range (its socket and its port accept, nobody answers) is named hung after
     * one question on its socket: asking its TCP port as well only made the user wait once more (a
     * SIGSTOPped solo ocr took 11 s to name this way).
     */
    @Test
    void aSilentResidentOfARangeIsAskedOnceOnItsSocket() throws Exception {
        int start = Ports.freeRange(3);
        SingleInstance app =
                Residents.app(home, PortPolicy.range(start, start + 2)).build();
        long pid = ProcessHandle.current().pid();
        app.registry().register(Residents.record(start, pid, Instant.now().minus(Duration.ofMinutes(5))));
        try (FakePeer port = FakePeer.listen(start, FakePeer.silent());
                FakePeer socket = FakePeer.listenLocal(app.localSocketPath(), FakePeer.silent())) {
            ClaimResult holder = app.inspect().orElseThrow();
            assertThat(holder).isInstanceOf(ClaimResult.Hung.class);
            assertThat(((ClaimResult.Hung) holder).waited()).isEqualTo(Duration.ofSeconds(2));
            assertThat(holder.message()).contains("pid " + pid).contains("port " + start);
            assertThat(socket.accepted()).isEqualTo(1);
            assertThat(port.accepted())
                    .as("its TCP port is not asked after its socket's silence")
                    .isZero();
        }
    }

    /**
     * Without a socket (TCP only), the silent port is asked once: the search's question names its holder
     * too. It was asked once by the search and once more to name the holder, 1 s each; nor is it probed a
     * third time to check its record (a silent holder keeps it anyway).
     */
    @Test
    void aSilentResidentWithoutASocketIsAskedOnce() throws Exception {
        int start = Ports.freeRange(3);
        SingleInstance app = Residents.app(home, PortPolicy.range(start, start + 2))
                .localSocket(false)
                .build();
        long pid = ProcessHandle.current().pid();
        app.registry().register(Residents.record(start, pid, Instant.now().minus(Duration.ofMinutes(5))));
        try (FakePeer port = FakePeer.listen(start, FakePeer.silent())) {
            ClaimResult holder = app.inspect().orElseThrow();
            assertThat(holder).isInstanceOf(ClaimResult.Hung.class);
            assertThat(((ClaimResult.Hung) holder).waited()).isEqualTo(app.probeTimeout());
            assertThat(holder.message()).contains("pid " + pid).contains("port " + start);
            assertThat(port.accepted()).as("one question, as on the socket").isEqualTo(1);
            assertThat(Residents.records(app.registry()))
                    .as("a live silent resident keeps its record")
                    .hasSize(1);
        }
    }
}
