package dev.solo.monitor.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.solo.monitor.store.EventStore;
import dev.solo.monitor.store.NewEvent;
import dev.solo.monitor.store.Retention;
import dev.solo.monitor.store.StoredEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live ring's memory bound: large payloads push old events out by their size, not only by count, and
 * a reader behind the ring still gets every event once, in order, from the database. The wire text of an
 * event is rendered once and shared.
 */
class LiveFeedTest {
    @TempDir
    Path dir;

    EventStore store;
    LiveFeed feed;

    @BeforeEach
    void open() {
        AtomicReference<LiveFeed> ref = new AtomicReference<>();
        store = EventStore.open(dir.resolve("events.db"), Clock.systemUTC(), Retention.DEFAULT, batch -> {
            LiveFeed f = ref.get();
            if (f != null) f.publish(batch);
        });
        // room for 1,000 events by count, but only for about three of these payloads by size
        feed = new LiveFeed(store, 1000, 3 * 5_300);
        ref.set(feed);
    }

    @AfterEach
    void close() {
        feed.close();
        store.close();
    }

    static NewEvent event(int seq) {
        String json = "{\"session_id\":\"ring\",\"hook_event_name\":\"Notification\",\"seq\":" + seq + ",\"pad\":\""
                + "x".repeat(5000) + "\"}";
        return new NewEvent("ring", "Notification", null, null, null, null, null, null, null, null, "hook", 0, json);
    }

    @Test
    void bigPayloadsLeaveTheRingBySizeAndAReaderBehindItStillGetsEveryEventOnce() throws Exception {
        List<CompletableFuture<StoredEvent>> appends = new ArrayList<>();
        for (int i = 0; i < 20; i++) appends.add(store.append(event(i)));
        long last = 0;
        for (CompletableFuture<StoredEvent> a : appends)
            last = a.get(30, TimeUnit.SECONDS).id();
        long newest = last;
        await().atMost(Duration.ofSeconds(30)).until(() -> feed.lastId() == newest); // published after the ack
        assertThat(feed.buffered()).isBetween(1, 3);

        List<Long> seen = new ArrayList<>();
        long cursor = 0;
        while (cursor < last) {
            LiveFeed.Batch b = feed.next(cursor, null, 7, 5_000);
            for (StoredEvent e : b.events()) seen.add(e.id());
            assertThat(b.scannedTo()).isGreaterThan(cursor);
            cursor = b.scannedTo();
        }
        List<Long> expected = new ArrayList<>();
        for (CompletableFuture<StoredEvent> a : appends) expected.add(a.get().id());
        assertThat(seen).isEqualTo(expected);
    }

    @Test
    void theRingKeepsAtLeastTheNewestEventHoweverLargeItIs() throws Exception {
        StoredEvent big = store.append(event(1)).get(30, TimeUnit.SECONDS);
        LiveFeed small = new LiveFeed(store, 10, 1);
        small.publish(List.of(big));
        LiveFeed.Batch b = small.next(big.id() - 1, null, 10, 1_000);
        assertThat(b.events()).containsExactly(big);
    }

    @Test
    void anEventsRowIsRenderedOnceForEveryClient() throws Exception {
        StoredEvent e = store.append(event(1)).get(30, TimeUnit.SECONDS);
        String row = feed.json(e, true);
        assertThat(row).isEqualTo(EventJson.row(e));
        assertThat(feed.json(e, true)).isSameAs(row);
        assertThat(feed.json(e, false)).isEqualTo(EventJson.of(e));
    }
}
