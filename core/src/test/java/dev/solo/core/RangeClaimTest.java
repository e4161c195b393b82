package dev.solo.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.core.support.FakePeer;
import dev.solo.core.support.Residents;
import dev.solo.core.support.ThreadHygiene;
import dev.solo.testing.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** ADR-007's port range: walking past foreign holders, finding the resident anywhere, never two. */
@ExtendWith(ThreadHygiene.class)
@SuppressWarnings("try") // servers and fakes are opened to be there, not to be called
class RangeClaimTest {
    @TempDir
    Path home;

    private SingleInstance ranged(int start, int end) {
        return Residents.app(home, PortPolicy.range(start, end))
                .probeTimeout(Duration.ofMillis(500))
                .build();
    }

    @Test
    void aForeignHolderOnTheFirstPortIsSkipped() throws Exception {
        int base = Ports.freeRange(3);
        try (FakePeer stranger = FakePeer.listen(base, FakePeer.says("SSH-2.0-OpenSSH_9.6\r\n"));
                LineServer server = Residents.serve(
                        ranged(base, base + 2), Verb.concurrent("STDOUT", r -> Response.success("hi")))) {
            assertThat(server.port()).as("the resident's port").isEqualTo(base + 1);
            assertThat(stranger.holdsPort()).isTrue();

            SingleInstance second = ranged(base, base + 2);
            ClaimResult r = second.claim();
            if (r instanceof ClaimResult.Claimed c) c.close();
            assertThat(r).as("a second claim: %s", r.message()).isInstanceOf(ClaimResult.Running.class);
            assertThat(((ClaimResult.Running) r).identity().port()).isEqualTo(base + 1);
            assertThat(second.find()).map(ServiceIdentity::port).contains(base + 1);
            assertThat(second.tryRunOnce("STDOUT", null, null)).isInstanceOf(Outcome.Delegated.class);
        }
    }

    @Test
    void aRangeFullOfForeignHoldersIsForeignAndSaysWhatToSet() throws Exception {
        int base = Ports.freeRange(2);
        try (FakePeer a = FakePeer.listen(base, FakePeer.says("nope\n"));
                FakePeer b = FakePeer.listen(base + 1, FakePeer.says("nope\n"))) {
            ClaimResult r = ranged(base, base + 1).claim();
            assertThat(r).as("claim: %s", r.message()).isInstanceOf(ClaimResult.ForeignService.class);
            assertThat(r.message())
                    .contains(
                            "answered 'nope' to HELLO",
                            "every other port of " + base + "-" + (base + 1),
                            "SINGLEINSTANCE_PORT_START/SINGLEINSTANCE_PORT_END");
        }
    }

    @Test
    void discoveryFindsAResidentOnTheLastPortWithAndWithoutTheRegistryHint() {
        int base = Ports.freeRange(11);
        int last = base + 10;
        SingleInstance resident = Residents.app(home, PortPolicy.fixed(last)).build();
        try (LineServer server =
                Residents.serve(resident, Verb.concurrent("STDOUT", r -> Response.success("from " + last)))) {
            SingleInstance client = ranged(base, last);
            assertThat(client.find())
                    .as("with the registry hint")
                    .map(ServiceIdentity::port)
                    .contains(last);

            for (InstanceRecord r : Residents.records(resident.registry()))
                resident.registry().remove(r);
            Optional<ServiceIdentity> found = client.find();
            assertThat(found)
                    .as("by scanning %d-%d without a hint", base, last)
                    .map(ServiceIdentity::port)
                    .contains(last);
            assertThat(client.tryRunOnce("STDOUT", null, null))
                    .isInstanceOfSatisfying(
                            Outcome.Delegated.class, d -> assertThat(d.text()).isEqualTo("from " + last));
        }
    }

    @Test
    void silentHoldersInTheRangeAreAskedAtOnceNotInTurn() throws Exception {
        int silentPorts = 8;
        int base = Ports.freeRange(silentPorts + 1);
        int last = base + silentPorts;
        List<FakePeer> silent = new ArrayList<>();
        SingleInstance resident = Residents.app(home, PortPolicy.fixed(last)).build();
        try (LineServer server = Residents.serve(resident)) {
            // Each silent holder counts the probes it holds open at the same time as the others.
            AtomicInteger open = new AtomicInteger();
            AtomicInteger mostAtOnce = new AtomicInteger();
            FakePeer.Script silentCounting = c -> {
                mostAtOnce.accumulateAndGet(open.incrementAndGet(), Math::max);
                try {
                    c.drain();
                } finally {
                    open.decrementAndGet();
                }
            };
            for (int p = base; p < last; p++) silent.add(FakePeer.listen(p, silentCounting));
            for (InstanceRecord r : Residents.records(resident.registry()))
                resident.registry().remove(r);
            SingleInstance client = Residents.app(home, PortPolicy.range(base, last))
                    .probeTimeout(Duration.ofSeconds(1))
                    .build();
            assertThat(client.find()).map(ServiceIdentity::port).contains(last);
            // In turn, each silent port would hold one probe for its full timeout before the next began.
            assertThat(mostAtOnce.get())
                    .as("probes of the %d silent ports open at the same time", silentPorts)
                    .isGreaterThan(1);
        } finally {
            for (FakePeer f : silent) f.close();
        }
    }

    @Test
    void aStaleHintIsRemovedAndTheResidentStillFound() {
        int base = Ports.freeRange(11);
        SingleInstance resident =
                Residents.app(home, PortPolicy.fixed(base + 7)).build();
        try (LineServer server = Residents.serve(resident)) {
            InstanceRecord stale =
                    Residents.record(base + 2, ProcessHandle.current().pid(), Instant.now());
            resident.registry().register(stale);
            assertThat(ranged(base, base + 10).find())
                    .map(ServiceIdentity::port)
                    .contains(base + 7);
            assertThat(Residents.records(resident.registry()))
                    .extracting(InstanceRecord::port)
                    .containsExactly(base + 7);
        }
    }

    /**
     * Issue 8 point 5: a resident of ours that answers nothing useful (an older resident flooded into
     * "Busy" for every connection) still holds its port. Its record stays, and a new claim of the range
     * reports it instead of taking the next port: two residents would both grab the hotkey.
     */
    @Test
    void aRecordedResidentThatAnswersBusyKeepsItsRecordAndNoSecondPortIsTaken() throws Exception {
        int base = Ports.freeRange(3);
        try (FakePeer flooded = FakePeer.listen(base, c -> {
            c.readLine();
            c.write("ERROR\nBusy, please retry");
        })) {
            SingleInstance app = ranged(base, base + 2);
            InstanceRecord record = Residents.record(
                    base, ProcessHandle.current().pid(), Instant.now().minus(Duration.ofMinutes(5)));
            app.registry().register(record);

            ClaimResult claim = app.claim();

            assertThat(claim).as("claim: %s", claim.message()).isInstanceOf(ClaimResult.Hung.class);
            assertThat(claim.message())
                    .contains("pid " + ProcessHandle.current().pid())
                    .contains("port " + base);
            assertThat(Residents.records(app.registry())).containsExactly(record);
            List<LiveInstance> live = app.registry().live(Duration.ofMillis(500));
            assertThat(live).extracting(LiveInstance::record).containsExactly(record);
            assertThat(live.get(0).answering()).isFalse();
            assertThat(Residents.records(app.registry())).as("list kept it").containsExactly(record);
        }
    }

    @Test
    void concurrentClaimsOfOneRangeYieldOneResident() throws Exception {
        int base = Ports.freeRange(4);
        int claimers = 4;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(claimers);
        List<Future<Object>> results = new ArrayList<>();
        for (int i = 0; i < claimers; i++) {
            SingleInstance app =
                    Residents.app(home, PortPolicy.range(base, base + 3)).build();
            results.add(pool.submit(() -> {
                go.await();
                ClaimResult r = app.claim();
                // A winner serves at once, as a real resident would.
                return r instanceof ClaimResult.Claimed c
                        ? LineServer.builder(app).start(c)
                        : r;
            }));
        }
        go.countDown();
        List<LineServer> servers = new ArrayList<>();
        List<String> others = new ArrayList<>();
        try {
            for (Future<Object> f : results) {
                Object o = f.get(30, TimeUnit.SECONDS);
                if (o instanceof LineServer s) servers.add(s);
                else others.add(o.getClass().getSimpleName() + ": " + ((ClaimResult) o).message());
            }
            assertThat(servers).as("residents; the others got %s", others).hasSize(1);
            assertThat(others).as("the other claimers").allMatch(s -> s.startsWith("Running"));
        } finally {
            servers.forEach(LineServer::close);
            pool.shutdownNow();
        }
    }
}
