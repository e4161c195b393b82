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
import java.util.concurrent.locks.LockSupport;

/**
 * The store alone, as the hook route drives it: {@code clients} threads each append one event and take
 * its acknowledgement (the inbox write) before the next, as a keep-alive hook client waits for its 200,
 * with no HTTP; every 64 appends (or as given) a client reads the store's last id, which waits for the writer, so the
 * backlog stays bounded as it does when real clients read the dashboard.
 * Prints, per round, the events per second, the writer thread's CPU per event (thread CPU time, so a
 * loaded machine stretches it less than wall time), the appending threads' CPU per event (the inbox
 * write and the waits), and the mean events per commit (read from the commit listener).
 *
 * <p>The payloads are the fixtures of {@code ../shared/fixtures/claude-code-hooks} (or the folder given
 * as the first argument) turned into rows by {@link Ingest}, round-robin. Run it as the server runs, and
 * alternate jars for a same-run before/after: {@code java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp
 * bench/target/benchmarks.jar dev.solo.bench.monitor.WriterBench [fixtures] [clients] [seconds] [rounds]
 * [events/s] [reads: every N appends of a client, 0 for none; 64]}.
 *
 * <p>With an events/s, the clients together append at that rate (each on a fixed schedule, parked until its
 * next event is due; behind schedule it does not wait), as the hook benchmark's clients do at the rate its
 * HTTP path allows: the writer's batches are then as large as its linger makes them at that rate, not as
 * large as a backlog makes them.
 */
public final class WriterBench {
    private WriterBench() {}

    public static void main(String[] args) throws Exception {
        Path fixtures = Path.of(args.length > 0 ? args[0] : Fixtures.DEFAULT_PLACES.get(0));
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        double rate = args.length > 4 ? Double.parseDouble(args[4]) : 0;
        int readEvery = args.length > 5 ? Integer.parseInt(args[5]) : 64; // 0: no reads
        long gapNanos = rate > 0 ? (long) (clients * 1e9 / rate) : 0; // one client's time between events
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
                    "writer bench: %d clients, %d payloads, %d s x %d rounds (first is warm-up), %s, %s%n",
                    clients,
                    events.size(),
                    seconds,
                    rounds,
                    rate > 0 ? String.format("%,.0f events/s together", rate) : "unpaced",
                    readEvery > 0 ? "a read every " + readEvery + " appends of a client" : "no reads");
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
                                    long due = System.nanoTime() + gapNanos * offset / 7 / clients;
                                    while (!stop.get()) {
                                        if (gapNanos > 0) {
                                            long wait = due - System.nanoTime();
                                            if (wait > 0) LockSupport.parkNanos(wait);
                                            due += gapNanos;
                                        }
                                        store.append(events.get(n++ % events.size()))
                                                .join();
                                        if (readEvery > 0 && n % readEvery == 0) store.lastId();
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
