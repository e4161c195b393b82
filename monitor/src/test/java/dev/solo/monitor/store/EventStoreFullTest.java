package dev.solo.monitor.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database that is full ({@code SQLITE_FULL}, made real by SQLite's {@code max_page_count} on the
 * writer's connection): an append that fails is not stored, one that is stored was acknowledged, and
 * appends work again by themselves once there is room.
 */
class EventStoreFullTest {
    @TempDir
    Path dir;

    static NewEvent event(int seq) {
        String json = "{\"session_id\":\"full\",\"hook_event_name\":\"PreToolUse\",\"seq\":" + seq + ",\"pad\":\""
                + "x".repeat(3000) + "\"}";
        return new NewEvent("full", "PreToolUse", null, null, null, null, null, null, null, null, "hook", 0, json);
    }

    /** What each append answered: true stored, false failed. */
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

    Set<Integer> storedSeqs(Path file) throws Exception {
        Set<Integer> out = new HashSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT json_extract(json, '$.seq') FROM events")) {
            while (rs.next()) out.add(rs.getInt(1));
        }
        return out;
    }

    @Test
    void whenFullNothingFailedIsStoredAndIngestRecoversWhenThereIsRoomAgain() throws Exception {
        Path file = dir.resolve("full.db");
        Properties small = new Properties();
        small.setProperty("max_page_count", "60"); // 240 KiB with 4 KiB pages: some 60 events
        Set<Integer> acked = new HashSet<>();
        Set<Integer> refused = new HashSet<>();
        try (EventStore store = EventStore.open(file, Clock.systemUTC(), Retention.DEFAULT, b -> {}, small)) {
            int seq = 0;
            // one at a time, then in concurrent bursts (group commits), until several were refused
            while (refused.size() < 20 && seq < 2000) {
                List<CompletableFuture<StoredEvent>> burst = new ArrayList<>();
                List<Integer> seqs = new ArrayList<>();
                int n = seq < 20 ? 1 : 8;
                for (int i = 0; i < n; i++, seq++) {
                    seqs.add(seq);
                    burst.add(store.append(event(seq)));
                }
                for (int i = 0; i < n; i++) (outcome(burst.get(i)) ? acked : refused).add(seqs.get(i));
            }
            assertThat(acked).hasSizeGreaterThan(20);
            assertThat(refused).hasSizeGreaterThanOrEqualTo(20);
            Set<Integer> stored = storedSeqs(file);
            assertThat(stored).as("every acknowledged event is stored").containsAll(acked);
            assertThat(stored).as("no refused event is stored").doesNotContainAnyElementsOf(refused);

            // room again: another program deletes old events; the writer's next transaction reuses the pages
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                    Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout=5000");
                s.executeUpdate("DELETE FROM events WHERE id <= (SELECT MIN(id) + 30 FROM events)");
            }
            for (int i = 0; i < 5; i++, seq++) {
                assertThat(outcome(store.append(event(seq))))
                        .as("append %d after room came back", seq)
                        .isTrue();
                acked.add(seq);
            }
            assertThat(store.lastId()).isPositive();
        }
        Set<Integer> afterwards = storedSeqs(file);
        assertThat(afterwards).doesNotContainAnyElementsOf(refused);
        assertThat(afterwards).containsAll(acked.stream().filter(s -> s > 40).toList());
    }
}
