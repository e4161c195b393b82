package dev.solo.bench;

import dev.solo.core.ClaimResult;
import dev.solo.core.LineServer;
import dev.solo.core.Outcome;
import dev.solo.core.PortPolicy;
import dev.solo.core.Registry;
import dev.solo.core.Response;
import dev.solo.core.SingleInstance;
import dev.solo.core.Verb;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A resident in this JVM: a {@link LineServer} on the lowest port of a free 51-port range, with a
 * temporary registry, and a client {@link SingleInstance} built the way a {@code --run-once} process
 * builds it (its own {@link Registry} object on the same directory, so no state is shared in memory
 * except what the files say).
 *
 * <p>The resident has its same-user Unix socket, as every resident does by default; {@code client}
 * takes it, {@code tcpClient} goes over TCP with the proof.
 *
 * <p>Verbs: {@code PAYLOAD} answers 1 KiB, {@code ECHO} answers its args, {@code MESSAGE} takes a
 * small body and answers an empty {@code SUCCESS}. All concurrent.
 */
@State(Scope.Benchmark)
public class Resident {
    static final String SERVICE = "solo-bench";
    static final int RANGE = 51;
    static final byte[] KIB = payload(1024);

    Path home;
    int start;
    LineServer server;
    /** A client as {@code tryRunOnce} callers build it: the same-user socket first, then TCP. */
    SingleInstance client;
    /** The same client with the socket off: registry hint, {@code HELLO} with the proof, {@code AUTH}. */
    SingleInstance tcpClient;
    /** A second start of the service on the resident's fixed port: its {@code claim()} must say Running. */
    SingleInstance claimant;

    final AtomicLong messages = new AtomicLong();

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        home = Files.createTempDirectory("solo-bench-");
        start = Ports.freeRange(RANGE);
        PortPolicy range = PortPolicy.range(start, start + RANGE - 1);
        SingleInstance app = SingleInstance.builder(SERVICE)
                .registry(Registry.at(home))
                .policy(range)
                .build();
        ClaimResult claim = app.claim();
        if (!(claim instanceof ClaimResult.Claimed claimed)) {
            throw new IllegalStateException("the benchmark resident could not claim: " + claim.message());
        }
        server = LineServer.builder(app)
                .verb(Verb.concurrent("PAYLOAD", r -> Response.success(KIB)))
                .verb(Verb.concurrent("ECHO", r -> Response.success(r.args())))
                .verb(Verb.concurrent("MESSAGE", r -> {
                            messages.incrementAndGet();
                            return Response.ok();
                        })
                        .withBody(4096))
                .start(claimed);
        client = SingleInstance.builder(SERVICE)
                .registry(Registry.at(home))
                .policy(range)
                .build();
        tcpClient = SingleInstance.builder(SERVICE)
                .registry(Registry.at(home))
                .policy(range)
                .localSocket(false)
                .build();
        claimant = SingleInstance.builder(SERVICE)
                .registry(Registry.at(home))
                .policy(PortPolicy.fixed(server.port()))
                .build();
        if (server.localSocket() == null) throw new IllegalStateException("the resident has no same-user socket");
        byte[] answer = delegated(client.tryRunOnce("PAYLOAD", null, null));
        if (!Arrays.equals(answer, KIB)) throw new IllegalStateException("PAYLOAD did not answer 1 KiB");
        if (!Arrays.equals(delegated(tcpClient.tryRunOnce("PAYLOAD", null, null)), KIB)) {
            throw new IllegalStateException("PAYLOAD over TCP did not answer 1 KiB");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        server.close();
        deleteTree(home);
    }

    /** The payload of a {@code Delegated} outcome; anything else fails the benchmark. */
    static byte[] delegated(Outcome o) {
        if (o instanceof Outcome.Delegated d) return d.payload();
        throw new IllegalStateException(
                "expected Delegated, got " + o.getClass().getSimpleName() + ": " + o.message());
    }

    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) return;
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the benchmark directory " + root, e);
        }
    }

    private static byte[] payload(int size) {
        byte[] b = new byte[size];
        byte[] text = "solo benchmark payload. ".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < size; i++) b[i] = text[i % text.length];
        return b;
    }
}
