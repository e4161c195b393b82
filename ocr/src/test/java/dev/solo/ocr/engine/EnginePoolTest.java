package dev.solo.ocr.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine pool: jobs run at once up to its size, each engine is loaded once, a flood is refused. */
class EnginePoolTest {
    private final AtomicInteger loads = new AtomicInteger();
    private final AtomicInteger closes = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService threads = Executors.newCachedThreadPool();

    /** A test seam: an engine whose recognize blocks until the test releases it. */
    private final class Gate implements OcrEngine {
        @Override
        public String name() {
            return "gate";
        }

        @Override
        public String recognize(BufferedImage image) throws InterruptedException {
            release.await();
            return "ok";
        }

        @Override
        public void close() {
            closes.incrementAndGet();
        }
    }

    private EnginePool pool(int size, int waiting) {
        return new EnginePool(
                () -> {
                    loads.incrementAndGet();
                    return new Gate();
                },
                new EngineSpec("gate", "", "", ""),
                size,
                waiting);
    }

    @AfterEach
    void stop() {
        release.countDown();
        threads.shutdownNow();
    }

    @Test
    void jobsRunConcurrentlyUpToTheSizeAndEnginesAreReused() throws Exception {
        EnginePool pool = pool(2, 8).warm();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<Future<String>> jobs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            jobs.add(threads.submit(() -> pool.run(e -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    return e.recognize(null);
                } finally {
                    running.decrementAndGet();
                }
            })));
        }
        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> running.get() == 2);
        release.countDown();
        for (Future<String> f : jobs) assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
        assertThat(most.get()).isEqualTo(2);
        assertThat(loads.get()).isEqualTo(2);
        assertThat(pool.loaded()).isEqualTo(2);
        pool.close();
        assertThat(closes.get()).isEqualTo(2);
        assertThatThrownBy(() -> pool.run(e -> "late")).hasMessageContaining("shutting down");
    }

    @Test
    void beyondTheWaitingBoundAJobIsRefusedAtOnce() throws Exception {
        EnginePool pool = pool(1, 1);
        threads.submit(() -> pool.run(e -> e.recognize(null)));
        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> loads.get() == 1);
        Future<String> waiter = threads.submit(() -> pool.run(e -> e.recognize(null)));
        Awaitility.await()
                .atMost(10, TimeUnit.SECONDS)
                .untilAsserted(() -> assertThatThrownBy(() -> pool.run(e -> "third"))
                        .isInstanceOf(EnginePool.SaturatedException.class)
                        .hasMessage("all 1 engines are busy and 1 jobs wait already; retry in a moment"));
        release.countDown();
        assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
        assertThat(pool.awaitIdle(10_000)).isTrue();
        pool.close();
    }
}
