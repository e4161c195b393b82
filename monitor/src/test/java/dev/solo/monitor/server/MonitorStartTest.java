package dev.solo.monitor.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.solo.core.Registry;
import dev.solo.monitor.store.StoreException;
import dev.solo.monitor.testing.TestMonitors;
import dev.solo.testing.RawHttp;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a monitor starts: the store opens on its own thread while Jetty is built ({@link Backend}), and
 * {@link MonitorServer#warmUp()} may run beside the start. Neither may change what a start does or how
 * it fails.
 */
@Timeout(60)
class MonitorStartTest {
    @TempDir
    Path home;

    @Test
    void aDatabaseThatCannotBeOpenedFailsTheStartWithTheStoresMessageAndFreesEverything() throws Exception {
        Registry registry = Registry.at(home);
        Path notAFile = Files.createDirectories(home.resolve("in-the-way.db")); // SQLite cannot open a directory
        Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
        int[] port = new int[1];
        assertThatThrownBy(() -> TestMonitors.start(registry, "broken", c -> c.withDatabase(notAFile)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("cannot open the event database " + notAFile)
                .hasMessageContaining("move the file away");
        assertThat(registry.records("solo-monitor"))
                .as("no registry record left behind")
                .isEmpty();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(newMonitorThreads(before))
                        .as("threads of the failed start")
                        .isEmpty());
        // The port was released: a new monitor of the same name starts and answers.
        try (MonitorServer again = TestMonitors.start(registry, "broken")) {
            port[0] = again.port();
            assertThat(RawHttp.send(port[0], "GET", "/health", Map.of(), null).status())
                    .isEqualTo(200);
        }
        assertThatThrownBy(() -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress("127.0.0.1", port[0]), 2000);
                    }
                })
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void warmUpBesideStartsChangesNothingTheServersAnswer() throws Exception {
        int threads = 4;
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger failures = new AtomicInteger();
        List<Thread> warmers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    MonitorServer.warmUp();
                } catch (Throwable e) {
                    failures.incrementAndGet();
                }
            });
            t.start();
            warmers.add(t);
        }
        go.countDown();
        Registry registry = Registry.at(home);
        String token = registry.token().value();
        try (MonitorServer server = TestMonitors.start(registry, "warm")) {
            for (Thread t : warmers) t.join();
            assertThat(failures.get()).isZero();
            assertThat(System.getProperty(JettyTuning.REFERENCES_PER_CACHE_LINE))
                    .isIn("8", "16");
            assertThat(RawHttp.send(server.port(), "GET", "/health", Map.of(), null)
                            .status())
                    .isEqualTo(200);
            var status =
                    RawHttp.send(server.port(), "GET", "/api/status", Map.of("Authorization", "Bearer " + token), null);
            assertThat(status.status()).isEqualTo(200);
            assertThat(status.body()).contains("\"events\":0");
        }
    }

    /** The live threads named {@code monitor-*} that were not there {@code before}. */
    private static List<String> newMonitorThreads(Set<Thread> before) {
        List<String> out = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith("monitor-") && !before.contains(t)) out.add(t.getName());
        }
        return out;
    }
}
