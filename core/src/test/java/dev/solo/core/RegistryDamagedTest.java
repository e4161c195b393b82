package dev.solo.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.core.support.Residents;
import dev.solo.core.support.ThreadHygiene;
import dev.solo.testing.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry record that cannot be read, of a resident that runs: readers deleted it, so {@code solo
 * list} missed that resident until it restarted. Only a free port proves its owner gone; otherwise the
 * record is kept and reported, and the resident is still found by its port, and its record written anew
 * once it answered with the proof. Real resident, real socket.
 */
@ExtendWith(ThreadHygiene.class)
@Timeout(30)
class RegistryDamagedTest {
    @TempDir
    Path home;

    private static Path recordFile(Registry registry, LineServer server) {
        return registry.instancesDir()
                .resolve(Residents.SERVICE + "@" + server.port() + "@"
                        + server.identity().instance() + ".json");
    }

    @Test
    void aDamagedRecordOfALiveResidentIsKeptAndItsResidentStillListed() throws Exception {
        SingleInstance app = Residents.app(home, PortPolicy.fixed(Ports.free())).build();
        Registry registry = app.registry();
        try (LineServer server = Residents.serve(app)) {
            Path file = recordFile(registry, server);
            assertThat(file).exists();
            Files.writeString(file, "{\"service\":\"solo-test\",\"port\":"); // cut short

            assertThat(registry.records()).isEmpty();
            List<LiveInstance> live = registry.live(Duration.ofSeconds(2));

            assertThat(file)
                    .as("a reader deleted the record of a live resident")
                    .exists();
            assertThat(live).hasSize(1);
            assertThat(live.get(0).answering()).isTrue();
            assertThat(live.get(0).identity().instance())
                    .isEqualTo(server.identity().instance());
            assertThat(live.get(0).identity().port()).isEqualTo(server.port());
            assertThat(registry.records())
                    .as("the record, written anew from the proven answer")
                    .extracting(InstanceRecord::instance, InstanceRecord::port, InstanceRecord::pid)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(
                            server.identity().instance(),
                            server.port(),
                            ProcessHandle.current().pid()));
            assertThat(registry.damaged()).isEmpty();
        }
    }

    @Test
    void theDamageIsReportedWithThePathWhatIsWrongAndWhatToDo() throws Exception {
        SingleInstance app = Residents.app(home, PortPolicy.fixed(Ports.free())).build();
        Registry registry = app.registry();
        try (LineServer server = Residents.serve(app)) {
            Path file = recordFile(registry, server);
            Files.writeString(file, "not json at all");
            Path stray = Files.writeString(registry.instancesDir().resolve("notes.json"), "{");

            List<DamagedRecord> damaged = registry.damaged();

            assertThat(damaged).extracting(DamagedRecord::file).containsExactlyInAnyOrder(file, stray);
            DamagedRecord d = damaged.stream()
                    .filter(x -> x.file().equals(file))
                    .findFirst()
                    .orElseThrow();
            assertThat(d.port()).isEqualTo(server.port());
            assertThat(d.service()).isEqualTo(Residents.SERVICE);
            assertThat(d.message())
                    .startsWith("the registry record " + file + " cannot be read (")
                    .contains("Port " + server.port() + " is held, so the solo-test resident that wrote it may still"
                            + " run, and the record is kept.")
                    .contains("'solo list' writes it anew once that resident answers there");
            DamagedRecord s = damaged.stream()
                    .filter(x -> x.file().equals(stray))
                    .findFirst()
                    .orElseThrow();
            assertThat(s.message())
                    .contains("Its name is not <service>@<port>@<instance>.json")
                    .contains("kept");
            assertThat(stray).exists();
        }
    }

    @Test
    void aDamagedRecordOfAnEarlierLifeOnTheSamePortIsRemovedOnceTheNewOneProvesItself() throws Exception {
        SingleInstance app = Residents.app(home, PortPolicy.fixed(Ports.free())).build();
        Registry registry = app.registry();
        try (LineServer server = Residents.serve(app)) {
            Path earlier =
                    registry.instancesDir().resolve(Residents.SERVICE + "@" + server.port() + "@0123456789ab.json");
            Files.writeString(earlier, "{\"service\":");

            List<LiveInstance> live = registry.live(Duration.ofSeconds(2));

            assertThat(live)
                    .extracting(l -> l.identity().instance())
                    .containsExactly(server.identity().instance());
            assertThat(earlier).doesNotExist();
            assertThat(registry.damaged()).isEmpty();
        }
    }

    @Test
    void onceThePortIsFreeTheNextReaderRemovesIt() throws Exception {
        Registry registry = Registry.at(home);
        Files.createDirectories(registry.instancesDir());
        int port = Ports.free();
        Path file = registry.instancesDir().resolve(Residents.SERVICE + "@" + port + "@gone.json");
        Files.writeString(file, "{broken");

        assertThat(registry.damaged()).isEmpty();
        assertThat(file).doesNotExist();
    }

    /**
     * The record a reader writes anew for a damaged one carries the log file the damaged text still names
     * ({@code solo ocr status} shows it); a record cut short keeps it, since records write it early.
     */
    @Test
    void theRecordWrittenAnewKeepsTheLogTheDamagedOneStillNames() throws Exception {
        Path log = home.resolve("logs").resolve("solo-test.log");
        SingleInstance app =
                Residents.app(home, PortPolicy.fixed(Ports.free())).log(log).build();
        Registry registry = app.registry();
        try (LineServer server = Residents.serve(app)) {
            Path file = recordFile(registry, server);
            String whole = Files.readString(file);
            Files.writeString(file, whole.substring(0, whole.indexOf("\"port\""))); // cut short after the log

            assertThat(registry.live(Duration.ofSeconds(2))).hasSize(1);
            assertThat(registry.records()).extracting(InstanceRecord::log).containsExactly(log);
        }
    }

    @Test
    void aLogIsSalvagedOnlyWhenItsStringIsWholeAndAnAbsolutePath() {
        assertThat(DamagedRecord.salvageLog("{\"service\":\"x\",\"log\":\"/a/b \\\"c\\\".log\",\"na"))
                .isEqualTo(Path.of("/a/b \"c\".log"));
        assertThat(DamagedRecord.salvageLog("{\"service\":\"x\",\"log\":\"/a/b"))
                .isNull();
        assertThat(DamagedRecord.salvageLog("{\"log\":\"relative.log\"}")).isNull();
        assertThat(DamagedRecord.salvageLog("{\"log\":null,")).isNull();
        assertThat(DamagedRecord.salvageLog(null)).isNull();
    }
}
