package dev.solo.monitor.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database that is full ({@code SQLITE_FULL}, made real by SQLite's {@code max_page_count} on the
 * writer's connection): events go on being acknowledged into the inbox while the writer owes less than it
 * may hold, then are refused; every acknowledged event is stored once there is room, and no refused one
 * ever is.
 */
@Timeout(120)
class EventStoreFullTest {
    @TempDir
    Path dir;

    static NewEvent event(int seq) {
        return event(seq, 3000);
    }

    static NewEvent event(int seq, int pad) {
        String json = "{\"session_id\":\"full\",\"hook_event_name\":\"PreToolUse\",\"seq\":" + seq + ",\"pad\":\""
                + "x".repeat(pad) + "\"}";
        return new NewEvent("full", "PreToolUse", null, null, null, null, null, null, null, null, "hook", 0, json);
    }

    /** What each append answered: true acknowledged, false refused (with a message that says so). */
    static boolean outcome(CompletableFuture<StoredEvent> f) throws InterruptedException {
        try {
            f.get(30, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(StoreException.class);
            assertThat(e.getCause().getMessage())
                    .contains("the event database cannot be written now", "Nothing of this request was stored");
            return false;
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the store did not answer an append within 30 s", e);
        }
    }

    static Set<Integer> seqs(Path file) throws Exception {
        Set<Integer> out = new HashSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT json_extract(json, '$.seq') FROM events")) {
            while (rs.next()) out.add(rs.getInt(1));
        }
        return out;
    }

    @Test
    void whenFullAcknowledgedEventsWaitInTheInboxRefusedOnesAreNeverStoredAndAllAreStoredOnceThereIsRoom()
            throws Exception {
        Path file = dir.resolve("full.db");
        Properties small = new Properties();
        small.setProperty("max_page_count", "60"); // 240 KiB with 4 KiB pages: some 60 events of 3 KB
        Set<Integer> acked = new HashSet<>();
        Set<Integer> refused = new HashSet<>();
        try (EventStore store = EventStore.open(file, Clock.systemUTC(), Retention.DEFAULT, b -> {}, small)) {
            int seq = 0;
            for (; seq < 200; seq++) { // one at a time, each waited for: the database fills up on the way
                assertThat(outcome(store.append(event(seq, 3000)))).isTrue();
                acked.add(seq);
                store.awaitStored();
            }
            Set<Integer> stored = seqs(file);
            assertThat(stored).as("the database is full").hasSizeLessThan(100);
            assertThat(acked).as("every stored event was acknowledged").containsAll(stored);

            // the writer owes more and more: past 16 Mi characters new events are refused
            for (int tries = 0; refused.size() < 5 && tries < 400; tries++, seq++) {
                (outcome(store.append(event(seq, 64 * 1024))) ? acked : refused).add(seq);
            }
            assertThat(refused).hasSize(5);

            small.setProperty("max_page_count", "1000000"); // room: the writer's next connection may grow
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> seqs(file).containsAll(acked));
            int next = seq;
            assertThat(outcome(store.append(event(next, 10)))).as("taken again").isTrue();
            acked.add(next);
            assertThat(store.count())
                    .as("a read waits for what was acknowledged")
                    .isEqualTo(acked.size());
            assertThat(seqs(file)).doesNotContainAnyElementsOf(refused);
        }
        Set<Integer> afterwards = seqs(file);
        assertThat(afterwards).containsAll(acked).doesNotContainAnyElementsOf(refused);
    }
}
