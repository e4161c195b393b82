package dev.solo.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.core.support.FakePeer;
import dev.solo.core.support.Residents;
import dev.solo.core.support.ThreadHygiene;
import dev.solo.testing.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@link Registry#live()}: records are hints, checked against the process and the port. */
@ExtendWith(ThreadHygiene.class)
@SuppressWarnings("try") // servers and fakes are opened to be there, not to be called
class RegistryLiveTest {
    private static final long SELF = ProcessHandle.current().pid();

    @TempDir
    Path home;

    /** The pid of a process that has exited: a short-lived child JVM, waited for. */
    private static long deadPid() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-version")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS))
                .as("child %s -version exited", java)
                .isTrue();
        assertThat(ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive))
                .as("child is gone")
                .isNotEqualTo(Optional.of(true));
        return p.pid();
    }

    @Test
    void keepsALiveResidentAndRemovesTheStaleRecords() throws Exception {
        SingleInstance app = Residents.app(home, PortPolicy.fixed(Ports.free())).build();
        Registry registry = app.registry();
        try (LineServer server = Residents.serve(app)) {
            InstanceRecord deadProcess = Residents.record(server.port(), deadPid(), Instant.now());
            InstanceRecord refusingPort = Residents.record(Ports.free(), SELF, Instant.now());
            registry.register(deadProcess);
            registry.register(refusingPort);
            assertThat(Residents.records(registry)).hasSize(3);

            List<LiveInstance> live = registry.live(Duration.ofSeconds(2));

            assertThat(live).as("live instances").hasSize(1);
            LiveInstance only = live.get(0);
            assertThat(only.answering()).isTrue();
            assertThat(only.record().port()).isEqualTo(server.port());
            assertThat(only.identity().instance()).isEqualTo(server.identity().instance());
            assertThat(only.identity().pid()).isEqualTo(SELF);
            assertThat(Residents.records(registry))
                    .as("records left after live()")
                    .extracting(InstanceRecord::instance)
                    .containsExactly(server.identity().instance());
        }
    }

    @Test
    void aSilentResidentIsKeptButNotAnswering() throws Exception {
        Registry registry = Registry.at(home);
        int port = Ports.free();
        try (FakePeer hung = FakePeer.listen(port, FakePeer.silent())) {
            InstanceRecord record = Residents.record(port, SELF, Instant.now());
            registry.register(record);
            List<LiveInstance> live = registry.live(Duration.ofMillis(300));
            assertThat(live).hasSize(1);
            assertThat(live.get(0).answering()).isFalse();
            assertThat(live.get(0).identity().state()).isEqualTo(ServiceIdentity.State.BUSY);
            assertThat(live.get(0).record()).isEqualTo(record);
        }
    }

    @Test
    void aPortThatAnswersAsAnotherInstanceIsStale() throws Exception {
        SingleInstance app = Residents.app(home, PortPolicy.fixed(Ports.free())).build();
        try (LineServer server = Residents.serve(app)) {
            app.registry()
                    .register(
                            Residents.record(server.port(), SELF, Instant.now().minusSeconds(60)));
            assertThat(app.registry().live())
                    .extracting(l -> l.identity().instance())
                    .containsExactly(server.identity().instance());
            assertThat(Residents.records(app.registry())).hasSize(1);
        }
    }

    @Test
    void unreadableRecordsOfAFreePortAreSkippedAndRemoved() throws Exception {
        Registry registry = Registry.at(home);
        registry.register(Residents.record(Ports.free(), SELF, Instant.now()));
        // the port its name gives is free: nobody holds it, so its owner is gone (RegistryDamagedTest: held)
        Path junk = registry.instancesDir().resolve(Residents.SERVICE + "@" + Ports.free() + "@junk.json");
        Files.writeString(junk, "{not json");
        assertThat(registry.records()).hasSize(1);
        assertThat(junk).doesNotExist();
        assertThat(registry.live()).as("the good record's port refuses").isEmpty();
        assertThat(registry.records()).isEmpty();
    }

    @Test
    void anEmptyOrMissingRegistryHasNoInstances() {
        Registry registry = Registry.at(home.resolve("never-created"));
        assertThat(registry.records()).isEmpty();
        assertThat(registry.live()).isEmpty();
        assertThat(registry.hintedPorts(Residents.SERVICE)).isEmpty();
    }
}
