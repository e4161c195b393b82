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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
 * writer's connection): events acknowledged before the writer found it full wait in the inbox and are
 * stored once there is room; events refused meanwhile are never stored; and appends are taken again by
 * themselves once there is room.
 */
@Timeout(120)
class EventStoreFullTest {
    @TempDir
    Path dir;

    static NewEvent event(int seq) {
        String json = "{\"session_id\":\"full\",\"hook_event_name\":\"PreToolUse\",\"seq\":" + seq + ",\"pad\":\""
                + "x".repeat(3000) + "\"}";
        return new NewEvent("full", "PreToolUse", null, null, null, null, null, null, null, null, "hook", 0, json);
    }

    /** What each append answered: true acknowledged, false refused (with a message that says so). */
    static boolean outcome(CompletableFuture<StoredEvent> f) throws InterruptedException {
        try {
            f.get(30, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(StoreException.class);
            assertThat(e.getCause().getMessage()).contains("Nothing of this request was stored");
            return false;
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the store did not answer an append within 30 s", e);
        }
    }

    static Set<Integer> seqs(Path file, String where) throws Exception {
        Set<Integer> out = new HashSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT json_extract(json, '$.seq') FROM events " + where)) {
            while (rs.next()) out.add(rs.getInt(1));
        }
        return out;
    }

    @Test
    void whenFullAcknowledgedEventsWaitRefusedOnesAreNeverStoredAndIngestRecoversWhenThereIsRoom() throws Exception {
        Path file = dir.resolve("full.db");
        Properties small = new Properties();
        small.setProperty("max_page_count", "60"); // 240 KiB with 4 KiB pages: some 60 events
        Set<Integer> acked = new HashSet<>();
        Set<Integer> refused = new HashSet<>();
        Set<Integer> deleted;
        try (EventStore store = EventStore.open(file, Clock.systemUTC(), Retention.DEFAULT, b -> {}, small)) {
            int seq = 0;
            // one at a time, then in concurrent bursts, until several were refused
            while (refused.size() < 20 && seq < 2000) {
                List<CompletableFuture<StoredEvent>> burst = new ArrayList<>();
                List<Integer> seqs = new ArrayList<>();
                int n = seq < 20 ? 1 : 8;
                for (int i = 0; i < n; i++, seq++) {
                    seqs.add(seq);
                    burst.add(store.append(event(seq)));
                }
                for (int i = 0; i < n; i++) (outcome(burst.get(i)) ? acked : refused).add(seqs.get(i));
                // a read waits for the writer (or its failure): what waits for room is at most one burst
                store.count();
            }
            assertThat(acked).hasSizeGreaterThan(20);
            assertThat(refused).hasSizeGreaterThanOrEqualTo(20);
            Set<Integer> stored = seqs(file, "");
            assertThat(acked).as("every stored event was acknowledged").containsAll(stored);
            assertThat(stored).as("no refused event is stored").doesNotContainAnyElementsOf(refused);

            // room again: another program deletes old events; the writer's next try reuses the pages
            deleted = seqs(file, "WHERE id <= (SELECT MIN(id) + 30 FROM events)");
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                    Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout=5000");
                s.executeUpdate("DELETE FROM events WHERE id <= (SELECT MIN(id) + 30 FROM events)");
            }
            int[] next = {seq};
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> outcome(store.append(event(next[0]++))));
            acked.add(next[0] - 1);
            for (int i = 0; i < 5; i++, next[0]++) {
                assertThat(outcome(store.append(event(next[0]))))
                        .as("append %d after room came back", next[0])
                        .isTrue();
                acked.add(next[0]);
            }
            assertThat(store.count())
                    .as("a read waits for what was acknowledged")
                    .isPositive();
            Set<Integer> afterRoom = seqs(file, "");
            assertThat(afterRoom)
                    .as("every acknowledged event is stored once there is room")
                    .containsAll(
                            acked.stream().filter(s -> !deleted.contains(s)).toList());
        }
        Set<Integer> afterwards = seqs(file, "");
        assertThat(afterwards).doesNotContainAnyElementsOf(refused);
        assertThat(afterwards)
                .containsAll(acked.stream().filter(s -> !deleted.contains(s)).toList());
    }
}
