package dev.solo.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sixteen client threads delegating at once to one resident, against a concurrent {@code ECHO} verb:
 * complete delegations per second, summed over the threads, over the same-user socket (the default)
 * and over TCP (hint, HELLO with proof, AUTH, verb, answer, close). The raw TCP echo server under the
 * same load is the ceiling the issue names.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
@Threads(16)
public class ThroughputBench {
    private static final byte[] LINE = "PING\n".getBytes(StandardCharsets.US_ASCII);

    /** The baseline server, one pooled thread per connection. */
    @State(Scope.Benchmark)
    public static class PooledEcho {
        EchoServer server;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            server = EchoServer.start(false);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            server.close();
        }
    }

    /** Our client as it runs by default: the same-user socket. */
    @Benchmark
    public byte[] delegateEcho(Resident r) {
        return Resident.delegated(r.client.tryRunOnce("ECHO", "ping", null));
    }

    /** The same over TCP with the proof (socket off). */
    @Benchmark
    public byte[] delegateEchoTcp(Resident r) {
        return Resident.delegated(r.tcpClient.tryRunOnce("ECHO", "ping", null));
    }

    @Benchmark
    public byte[] baselineEcho(PooledEcho echo) throws IOException {
        return EchoServer.roundTrip(echo.server.address(), LINE);
    }
}
