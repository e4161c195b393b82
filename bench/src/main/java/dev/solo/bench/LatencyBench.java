package dev.solo.bench;

import dev.solo.core.ClaimResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-client latency: the raw loopback baselines (TCP and Unix socket), a full delegation over the
 * same-user socket and over TCP, and a claim that finds the resident already running. Every operation opens real loopback connections; nothing is cached that
 * a fresh {@code --run-once} process would not have (the registry and token are read from disk each
 * time, as core does).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class LatencyBench {
    private static final byte[] LINE = "PING\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PONG = "PONG\n".getBytes(StandardCharsets.US_ASCII);

    /** The baseline servers: TCP on its accepting thread, TCP pooled, and a Unix socket. */
    @State(Scope.Benchmark)
    public static class Echo {
        EchoServer inline;
        EchoServer pooled;
        UnixEchoServer unix;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            inline = EchoServer.start(true);
            pooled = EchoServer.start(false);
            unix = UnixEchoServer.start();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            inline.close();
            pooled.close();
            unix.close();
        }
    }

    /** Baseline: connect, one line each way, close; the server answers on its accepting thread. */
    @Benchmark
    public byte[] baseline(Echo echo) throws IOException {
        return EchoServer.roundTrip(echo.inline.address(), LINE);
    }

    /** The same exchange over a Unix-domain socket: the floor of the same-user path. */
    @Benchmark
    public byte[] baselineUnix(Echo echo) throws IOException {
        return UnixEchoServer.roundTrip(echo.unix.path(), LINE);
    }

    /** The same exchange with a server that hands each connection to a pooled thread, as the resident does. */
    @Benchmark
    public byte[] baselinePooledEcho(Echo echo) throws IOException {
        return EchoServer.roundTrip(echo.pooled.address(), LINE);
    }

    /**
     * Our client as it runs by default: the same-user socket (the file checked to be ours), {@code
     * EXPIRES} and {@code PAYLOAD} in one write, the greeting and 1 KiB back in {@code SUCCESS}.
     */
    @Benchmark
    public byte[] delegate(Resident r) {
        return Resident.delegated(r.client.tryRunOnce("PAYLOAD", null, null));
    }

    /**
     * Our client over TCP (socket off): registry hint, then on one connection {@code HELLO <nonce>}
     * (identity and the endpoint-bound HMAC proof, checked), {@code AUTH <token>}, {@code PAYLOAD}, and 1
     * KiB back in {@code SUCCESS}. What {@code delegate} measured before issue 13.
     */
    @Benchmark
    public byte[] delegateTcp(Resident r) {
        return Resident.delegated(r.tcpClient.tryRunOnce("PAYLOAD", null, null));
    }

    /**
     * The full sequence of issue #2 as an ADR-007-style client runs it: a separate {@code PING}/{@code
     * PONG} connection to the hinted port first, then the delegation above.
     */
    @Benchmark
    public byte[] delegateAfterPing(Resident r) throws IOException {
        List<Integer> hinted = r.client.registry().hintedPorts(Resident.SERVICE);
        if (hinted.isEmpty()) throw new IllegalStateException("the resident's registry record is gone");
        byte[] pong = EchoServer.roundTrip(new InetSocketAddress(Ports.LOOPBACK_V4, hinted.get(0)), LINE);
        if (!Arrays.equals(pong, PONG)) throw new IllegalStateException("PING was not answered PONG");
        return Resident.delegated(r.tcpClient.tryRunOnce("PAYLOAD", null, null));
    }

    /**
     * A second start while the resident runs: the bind fails, the holder is probed ({@code HELLO},
     * proof checked) and classified as {@code Running}.
     */
    @Benchmark
    public ClaimResult claimRunning(Resident r) {
        ClaimResult c = r.claimant.claim();
        if (!(c instanceof ClaimResult.Running)) throw new IllegalStateException("expected Running: " + c.message());
        return c;
    }
}
