package dev.solo.bench;

import dev.solo.core.ClaimResult;
import dev.solo.core.LineServer;
import dev.solo.core.PortPolicy;
import dev.solo.core.Registry;
import dev.solo.core.Response;
import dev.solo.core.ServiceIdentity;
import dev.solo.core.SingleInstance;
import dev.solo.core.Verb;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Discovery ({@code app.find()}) of a resident that sits on the LAST port of a 51-port range, the
 * worst place for a client that walks the range: with the registry hint, and with the record deleted
 * so that only the parallel scan of the range can find it.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class DiscoveryBench {

    /** A resident on the last port of a free range; the client's policy is the whole range. */
    abstract static class LastPort {
        Path home;
        int last;
        LineServer server;
        SingleInstance client;

        void start(boolean keepRecord) throws IOException {
            home = Files.createTempDirectory("solo-bench-find-");
            int first = Ports.freeRange(Resident.RANGE);
            last = first + Resident.RANGE - 1;
            // The resident is told to take the last port; the client knows only the range.
            SingleInstance resident = SingleInstance.builder(Resident.SERVICE)
                    .registry(Registry.at(home))
                    .policy(PortPolicy.fixed(last))
                    .build();
            ClaimResult claim = resident.claim();
            if (!(claim instanceof ClaimResult.Claimed claimed)) {
                throw new IllegalStateException("the benchmark resident could not claim: " + claim.message());
            }
            server = LineServer.builder(resident)
                    .verb(Verb.concurrent("ECHO", r -> Response.success(r.args())))
                    .start(claimed);
            // TCP discovery: the same-user socket would find the resident without hint or scan.
            client = SingleInstance.builder(Resident.SERVICE)
                    .registry(Registry.at(home))
                    .policy(PortPolicy.range(first, last))
                    .localSocket(false)
                    .build();
            if (!keepRecord) {
                try (Stream<Path> records = Files.list(client.registry().instancesDir())) {
                    for (Path p : records.toList()) Files.delete(p);
                }
            }
            checkHints(keepRecord);
            ServiceIdentity found = client.find().orElseThrow(() -> new IllegalStateException("find() found nothing"));
            if (found.port() != last) throw new IllegalStateException("found port " + found.port() + ", not " + last);
        }

        /** The premise of the benchmark: a hint for the last port, or none at all. */
        void checkHints(boolean keepRecord) {
            List<Integer> hints = client.registry().hintedPorts(Resident.SERVICE);
            List<Integer> expected = keepRecord ? List.of(last) : List.of();
            if (!hints.equals(expected)) {
                throw new IllegalStateException("registry hints are " + hints + ", expected " + expected);
            }
        }

        void stop() {
            server.close();
            Resident.deleteTree(home);
        }
    }

    @State(Scope.Benchmark)
    public static class WithHint extends LastPort {
        @Setup(Level.Trial)
        public void setUp() throws IOException {
            start(true);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            checkHints(true);
            stop();
        }
    }

    @State(Scope.Benchmark)
    public static class WithoutHint extends LastPort {
        @Setup(Level.Trial)
        public void setUp() throws IOException {
            start(false);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            checkHints(false);
            stop();
        }
    }

    /** Registry hint → {@code HELLO} on the last port, proof checked. */
    @Benchmark
    public ServiceIdentity findWithHint(WithHint s) {
        return s.client.find().orElseThrow();
    }

    /** No record: a parallel connect scan of all 51 ports, then {@code HELLO} on the one that accepted. */
    @Benchmark
    public ServiceIdentity findByScan(WithoutHint s) {
        return s.client.find().orElseThrow();
    }
}
