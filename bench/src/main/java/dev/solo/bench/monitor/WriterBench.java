package dev.solo.bench.monitor;

import dev.solo.monitor.ingest.Ingest;
import dev.solo.monitor.store.EventStore;
import dev.solo.monitor.store.NewEvent;
import dev.solo.monitor.store.Retention;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The store alone, as the hook route drives it: {@code clients} threads each append one event and take
 * its acknowledgement (the inbox write) before the next, as a keep-alive hook client waits for its 200,
 * with no HTTP; every 64 appends a client reads the store's last id, which waits for the writer, so the
 * backlog stays bounded as it does when real clients read the dashboard.
 * Prints, per round, the events per second, the writer thread's CPU per event (thread CPU time, so a
 * loaded machine stretches it less than wall time), the appending threads' CPU per event (the inbox
 * write and the waits), and the mean events per commit (read from the commit listener).
 *
 * <p>The payloads are the fixtures of {@code ../shared/fixtures/claude-code-hooks} (or the folder given
 * as the first argument) turned into rows by {@link Ingest}, round-robin. Run it as the server runs, and
 * alternate jars for a same-run before/after: {@code java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp
 * bench/target/benchmarks.jar dev.solo.bench.monitor.WriterBench [fixtures] [clients] [seconds] [rounds]}.
 */
public final class WriterBench {
    private WriterBench() {}

    public static void main(String[] args) throws Exception {
        Path fixtures = Path.of(args.length > 0 ? args[0] : Fixtures.DEFAULT_PLACES.get(0));
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        Ingest ingest = new Ingest();
        List<NewEvent> events = new ArrayList<>();
        for (byte[] body : Fixtures.load(fixtures)) events.add(ingest.hook(body));
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        AtomicLong commits = new AtomicLong();
        AtomicLong committed = new AtomicLong();
        try (TempDir dir = TempDir.create("writer-bench");
                EventStore store = EventStore.open(
                        dir.path().resolve("events.db"), Clock.systemUTC(), Retention.DEFAULT, batch -> {
                            commits.incrementAndGet();
                            committed.addAndGet(batch.size());
                        })) {
            long writerId = threadId("monitor-store-writer");
            System.out.printf(
                    "writer bench: %d clients, %d payloads, %d s x %d rounds (first is warm-up)%n",
                    clients, events.size(), seconds, rounds);
            for (int round = 0; round < rounds; round++) {
                AtomicBoolean stop = new AtomicBoolean();
                AtomicLong clientCpu = new AtomicLong();
                CountDownLatch done = new CountDownLatch(clients);
                long c0 = commits.get();
                long e0 = committed.get();
                long w0 = cpu.getThreadCpuTime(writerId);
                long t0 = System.nanoTime();
                for (int i = 0; i < clients; i++) {
                    int offset = i * 7;
                    Thread t = new Thread(
                            () -> {
                                long mine = cpu.getCurrentThreadCpuTime();
                                try {
                                    int n = offset;
                                    while (!stop.get()) {
                                        store.append(events.get(n++ % events.size()))
                                                .join();
                                        if (n % 64 == 0) store.lastId();
                                    }
                                } finally {
                                    clientCpu.addAndGet(cpu.getCurrentThreadCpuTime() - mine);
                                    done.countDown();
                                }
                            },
                            "bench-client-" + i);
                    t.start();
                }
                if (!done.await(seconds, TimeUnit.SECONDS)) stop.set(true);
                if (!done.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("clients did not stop in 30 s");
                long wall = System.nanoTime() - t0;
                long n = committed.get() - e0;
                long batches = commits.get() - c0;
                System.out.printf(
                        "round %d: %,.0f events/s, writer %.1f us/event, clients %.1f us/event, %.2f events per"
                                + " commit%n",
                        round,
                        n * 1e9 / wall,
                        (cpu.getThreadCpuTime(writerId) - w0) / 1e3 / n,
                        clientCpu.get() / 1e3 / n,
                        (double) n / batches);
            }
        }
    }

    private static long threadId(String name) {
        for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().equals(name)) return t.getId();
        throw new IllegalStateException("no thread named " + name);
    }
}
