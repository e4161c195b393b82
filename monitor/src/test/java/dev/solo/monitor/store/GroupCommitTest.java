package dev.solo.monitor.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The group commit on a real SQLite file: appends from many threads at once are all acknowledged and all
 * stored once, the listener told in id order, and a read right after an acknowledgement finds the event;
 * an append made from inside a completion is stored too; a close racing with appends leaves no append
 * pending, and every append it acknowledged is in the database; a read does not wait for the writer's
 * linger, nor does a close.
 */
@Timeout(60)
class GroupCommitTest {
    @TempDir
    Path dir;

    static NewEvent event(String stream, int seq) {
        String json = "{\"session_id\":\"" + stream + "\",\"hook_event_name\":\"PreToolUse\",\"seq\":" + seq + "}";
        return new NewEvent(stream, "PreToolUse", null, null, null, null, null, null, null, null, "hook", 0, json);
    }

    @Test
    void concurrentAppendsAreAllStoredOnceInIdOrderAndAReadAfterTheAnswerFindsThem() throws Exception {
        List<Long> heard = Collections.synchronizedList(new ArrayList<>());
        int threads = 8;
        int each = 200;
        List<CompletableFuture<StoredEvent>> all = Collections.synchronizedList(new ArrayList<>());
        List<String> notFoundAfterAnswer = Collections.synchronizedList(new ArrayList<>());
        try (EventStore store = EventStore.open(dir.resolve("e.db"), Clock.systemUTC(), Retention.DEFAULT, batch -> {
            for (StoredEvent e : batch) heard.add(e.id());
        })) {
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int tn = t;
                Thread w = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < each; i++) {
                        CompletableFuture<StoredEvent> f = store.append(event("s" + tn, i));
                        // every tenth: a read right after the answer finds the event, and the listener has heard it
                        if (i % 10 == 0) {
                            StoredEvent s = f.join();
                            if (store.get(s.id()).isEmpty() || !heard.contains(s.id()))
                                notFoundAfterAnswer.add(Long.toString(s.id()));
                        }
                        all.add(f);
                    }
                });
                w.start();
                workers.add(w);
            }
            start.countDown();
            for (Thread w : workers) w.join(30_000);
            List<Long> ids = new ArrayList<>();
            for (CompletableFuture<StoredEvent> f : all)
                ids.add(f.get(30, TimeUnit.SECONDS).id());
            assertThat(ids).hasSize(threads * each).doesNotHaveDuplicates();
            store.awaitStored(); // the last batches may still be on their way to the database
            assertThat(heard)
                    .as("the listener hears each event once, in id order")
                    .isSorted();
            assertThat(heard).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(notFoundAfterAnswer)
                    .as("events acknowledged but missing from a read (or the listener) that followed")
                    .isEmpty();
            assertThat(store.count()).isEqualTo(threads * each);
            assertThat(store.lastId()).isEqualTo(Collections.max(ids));
        }
    }

    @Test
    void anAppendMadeInsideACompletionIsCommittedToo() throws Exception {
        try (EventStore store = EventStore.open(dir.resolve("n.db"), Clock.systemUTC(), Retention.DEFAULT, b -> {})) {
            CompletableFuture<StoredEvent> second =
                    store.append(event("n", 1)).thenCompose(first -> store.append(event("n", 2)));
            StoredEvent s = second.get(30, TimeUnit.SECONDS);
            assertThat(s.json()).contains("\"seq\":2");
            assertThat(store.count()).isEqualTo(2);
        }
    }

    @Test
    void aCloseRacingWithAppendsLeavesNothingPendingAndKeepsWhatItAcknowledged() throws Exception {
        Path file = dir.resolve("c.db");
        List<CompletableFuture<StoredEvent>> all = Collections.synchronizedList(new ArrayList<>());
        EventStore store = EventStore.open(file, Clock.systemUTC(), Retention.DEFAULT, b -> {});
        CountDownLatch running = new CountDownLatch(4);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int tn = t;
            Thread w = new Thread(() -> {
                running.countDown();
                for (int i = 0; i < 5_000; i++) {
                    CompletableFuture<StoredEvent> f = store.append(event("c" + tn, i));
                    all.add(f);
                    if (f.isCompletedExceptionally()) break; // closed
                }
            });
            w.start();
            workers.add(w);
        }
        running.await(10, TimeUnit.SECONDS);
        store.close();
        for (Thread w : workers) w.join(30_000);
        long acked = 0;
        for (CompletableFuture<StoredEvent> f : all) {
            try {
                f.get(30, TimeUnit.SECONDS); // a pending append would time out here
                acked++;
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(StoreException.class);
                assertThat(e.getCause().getMessage()).contains("shut");
            }
        }
        try (EventStore again = EventStore.open(file, Clock.systemUTC(), Retention.DEFAULT, b -> {})) {
            assertThat(again.count())
                    .as("every acknowledged append is stored, nothing else")
                    .isEqualTo(acked);
        }
    }

    @Test
    void aWriterFarBehindRefusesNewEventsInsteadOfHoldingThemAllInMemory() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        String pad = "x".repeat(64 * 1024);
        List<Long> acked = new ArrayList<>();
        int refused = 0;
        try (EventStore store = EventStore.open(dir.resolve("behind.db"), Clock.systemUTC(), Retention.DEFAULT, b -> {
            try {
                release.await(30, TimeUnit.SECONDS); // the listener runs on the writer: it stops here
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })) {
            for (int i = 0; i < 400; i++) { // 400 x 64 Ki characters: more than the 16 Mi the writer may owe
                String json = "{\"session_id\":\"behind\",\"hook_event_name\":\"Stop\",\"seq\":" + i + ",\"p\":\"" + pad
                        + "\"}";
                CompletableFuture<StoredEvent> f = store.append(new NewEvent(
                        "behind", "Stop", null, null, null, null, null, null, null, null, "hook", 0, json));
                try {
                    acked.add(f.get(10, TimeUnit.SECONDS).id());
                } catch (ExecutionException e) {
                    assertThat(e.getCause().getMessage())
                            .contains("events behind", "Nothing of this request was stored");
                    refused++;
                }
            }
            assertThat(refused)
                    .as("refused once the writer owed 16 Mi characters")
                    .isPositive();
            assertThat(acked.size()).isBetween(200, 300);
            release.countDown();
            assertThat(store.count()).as("every acknowledged event is stored").isEqualTo(acked.size());
            assertThat(store.append(event("behind", 1))
                            .get(10, TimeUnit.SECONDS)
                            .id())
                    .as("taken again once the writer caught up")
                    .isEqualTo(acked.size() + 1);
        }
    }

    @Test
    void aReadOrACloseWakesAWriterThatLingersInsteadOfWaitingForTheLinger() throws Exception {
        Path file = dir.resolve("w.db");
        // an hour's linger in one slice: a read that did not wake the writer would give up after
        // READ_WAIT_MILLIS (5 s) without the event, and a close would wait 10 s for the writer and keep the inbox
        long hour = TimeUnit.HOURS.toNanos(1);
        EventStore store = EventStore.open(file, Clock.systemUTC(), Retention.DEFAULT, b -> {}, hour, hour);
        try {
            for (int i = 1; i <= 5; i++) {
                StoredEvent s = store.append(event("w", i)).get(10, TimeUnit.SECONDS);
                long t0 = System.nanoTime();
                assertThat(store.get(s.id()))
                        .as("event %d, read right after its answer", i)
                        .isPresent();
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0))
                        .as("the read's wait, ms")
                        .isLessThan(GroupCommit.READ_WAIT_MILLIS);
            }
            store.append(event("w", 6)).get(10, TimeUnit.SECONDS);
        } finally {
            long t0 = System.nanoTime();
            store.close();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0))
                    .as("the close's wait, ms")
                    .isLessThan(5_000);
        }
        assertThat(Journal.file(file))
                .as("the inbox, deleted by a close that stored everything")
                .doesNotExist();
        try (EventStore again = EventStore.open(file, Clock.systemUTC(), Retention.DEFAULT, b -> {})) {
            assertThat(again.count()).isEqualTo(6);
        }
    }

    @Test
    void theWriterStopsLingeringAfterASliceWithoutEvents() throws Exception {
        CountDownLatch heard = new CountDownLatch(1);
        long hour = TimeUnit.HOURS.toNanos(1);
        try (EventStore store = EventStore.open(
                dir.resolve("q.db"),
                Clock.systemUTC(),
                Retention.DEFAULT,
                b -> heard.countDown(),
                hour,
                TimeUnit.MILLISECONDS.toNanos(20))) {
            store.append(event("q", 1)).get(10, TimeUnit.SECONDS);
            // no read: only the quiet slice ends the hour's linger
            assertThat(heard.await(10, TimeUnit.SECONDS))
                    .as("the listener heard the lone event")
                    .isTrue();
        }
    }
}
