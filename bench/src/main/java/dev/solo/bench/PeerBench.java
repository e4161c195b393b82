package dev.solo.bench;

import in.pratanumandal.unique4j.DynamicPortSocketIpcFactory;
import in.pratanumandal.unique4j.OtherInstance;
import in.pratanumandal.unique4j.Unique4j;
import in.pratanumandal.unique4j.Unique4jConfig;
import in.pratanumandal.unique4j.Unique4jLock;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
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
 * One message from a second instance to the first, side by side: unique4j 2.1.0 (low-level API as its
 * README shows it: {@code newLock(firstInstanceHandler, otherInstanceHandler)}, {@code tryLock()}
 * returning {@code false} in the second instance after its handler wrote the message) against one
 * {@code tryRunOnce} of ours carrying the same message.
 *
 * <p>unique4j uses its default IPC (TCP on loopback, {@code DynamicPortSocketIpcFactory}, the port
 * in an {@code app.port} file in the lock folder), started at a free port instead of its default 3000,
 * with a temporary lock folder. Its primary lives in this JVM, as our resident does.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class PeerBench {
    /** The message of unique4j's README. */
    static final String MESSAGE = "I'm another instance";

    private static final byte[] MESSAGE_BYTES = MESSAGE.getBytes(StandardCharsets.UTF_8);

    /** A unique4j first instance, and the configuration a second instance starts with. */
    @State(Scope.Benchmark)
    public static class Unique4jPeer {
        Path lockFolder;
        ExecutorService primaryPool;
        ExecutorService secondaryPool;
        Unique4jLock primary;
        Unique4jConfig secondary;
        final Semaphore received = new Semaphore(0);
        volatile String last;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            lockFolder = Files.createTempDirectory("unique4j-bench-");
            String appId = "dev.solo.bench.unique4j-" + UUID.randomUUID();
            int port;
            try (ServerSocket probe = Ports.bindFree(1)) {
                port = probe.getLocalPort(); // unique4j walks up from here to the first port it can bind
            }
            // unique4j's default pool is newFixedThreadPool(5) with non-daemon threads; same size, daemon.
            primaryPool = Executors.newFixedThreadPool(5, EchoServer.daemon("unique4j-primary"));
            secondaryPool = Executors.newFixedThreadPool(5, EchoServer.daemon("unique4j-secondary"));
            Unique4jConfig first = Unique4jConfig.createDefault(appId)
                    .lockFolder(lockFolder.toFile())
                    .executorService(primaryPool)
                    .ipcFactory(new DynamicPortSocketIpcFactory(Ports.LOOPBACK_V4, port));
            primary = Unique4j.withConfig(first)
                    .newLock(
                            client -> {
                                last = new DataInputStream(client.getInputStream()).readUTF();
                                received.release();
                            },
                            null);
            if (!primary.tryLock()) throw new IllegalStateException("the unique4j primary did not get its lock");
            secondary = Unique4jConfig.createDefault(appId)
                    .lockFolder(lockFolder.toFile())
                    .executorService(secondaryPool)
                    .ipcFactory(new DynamicPortSocketIpcFactory(Ports.LOOPBACK_V4, port));
            sendOne();
            awaitDelivery(this);
            if (!MESSAGE.equals(last)) throw new IllegalStateException("unique4j delivered '" + last + "'");
        }

        /** What a second instance does: lock attempt, which fails and runs the message handler. */
        boolean sendOne() throws IOException {
            OtherInstance send = firstInstance -> {
                DataOutputStream out = new DataOutputStream(firstInstance.getOutputStream());
                out.writeUTF(MESSAGE);
                out.flush();
            };
            Unique4jLock lock = Unique4j.withConfig(secondary).newLock(null, send);
            if (lock.tryLock()) {
                lock.unlock();
                throw new IllegalStateException("a second unique4j instance got the lock");
            }
            return true;
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            primary.unlock();
            primaryPool.shutdownNow();
            secondaryPool.shutdownNow();
            Resident.deleteTree(lockFolder);
        }
    }

    private static void awaitDelivery(Unique4jPeer p) {
        try {
            if (!p.received.tryAcquire(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the unique4j primary did not receive the message within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** unique4j: the second instance's {@code tryLock()} returned and the primary has read the message. */
    @Benchmark
    public boolean unique4jMessage(Unique4jPeer p) throws IOException {
        p.sendOne();
        awaitDelivery(p);
        return true;
    }

    /**
     * unique4j as the second instance sees it: {@code tryLock()} returned; the primary may still be
     * reading (unique4j sends no acknowledgement of the message).
     */
    @Benchmark
    public boolean unique4jMessageSent(Unique4jPeer p) throws IOException {
        return p.sendOne();
    }

    /**
     * Ours: one {@code tryRunOnce} carrying the message, over the same-user socket as by default; it
     * returns after the resident has handled it and answered {@code SUCCESS}.
     */
    @Benchmark
    public byte[] soloMessage(Resident r) {
        return Resident.delegated(r.client.tryRunOnce("MESSAGE", null, MESSAGE_BYTES));
    }

    /** The same over TCP with the proof (socket off). */
    @Benchmark
    public byte[] soloMessageTcp(Resident r) {
        return Resident.delegated(r.tcpClient.tryRunOnce("MESSAGE", null, MESSAGE_BYTES));
    }
}
