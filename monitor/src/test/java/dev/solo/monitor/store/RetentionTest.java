package dev.solo.monitor.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention by age deletes exactly the events whose time is before now minus the maximum age, without an
 * index on every event's time ({@link Timeline}): live events, imported ones (old times under new ids), a
 * store mixing both with a clock that steps back, the boundary, and a store made by the version that kept
 * the index {@code events_received}.
 */
@Timeout(120)
class RetentionTest {
    static final long DAY = Duration.ofDays(1).toMillis();
    static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    static final Retention DAYS_30 = new Retention(Duration.ofDays(30), 1L << 30, Duration.ofMinutes(10));

    @TempDir
    Path dir;

    /** A clock the test sets. */
    static final class Manual extends Clock {
        volatile long millis = T0;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public long millis() {
            return millis;
        }
    }

    final Manual clock = new Manual();

    static NewEvent live(String stream, int seq) {
        return new NewEvent(
                stream,
                "PreToolUse",
                "Bash",
                "tu" + seq,
                null,
                null,
                null,
                "/w",
                null,
                null,
                "hook",
                0,
                "{\"session_id\":\"" + stream + "\",\"seq\":" + seq + "}");
    }

    static NewEvent imported(String stream, int seq, long at) {
        return new NewEvent(
                stream,
                "UserPromptSubmit",
                null,
                null,
                null,
                null,
                null,
                "/w",
                null,
                null,
                "import",
                0,
                "{\"session_id\":\"" + stream + "\",\"seq\":" + seq + "}",
                at);
    }

    EventStore open(Path db) {
        return EventStore.open(db, clock, DAYS_30, b -> {});
    }

    /** Every stored (id, time), read on a connection of its own. */
    static TreeMap<Long, Long> rows(Path db) throws Exception {
        TreeMap<Long, Long> out = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, received FROM events")) {
            while (rs.next()) out.put(rs.getLong(1), rs.getLong(2));
        }
        return out;
    }

    static TreeMap<Long, Long> youngerThan(TreeMap<Long, Long> all, long cutoff) {
        TreeMap<Long, Long> out = new TreeMap<>();
        all.forEach((id, at) -> {
            if (at >= cutoff) out.put(id, at);
        });
        return out;
    }

    @Test
    void liveEventsOlderThanThirtyDaysGoAndTheRestStays() throws Exception {
        Path db = dir.resolve("live.db");
        try (EventStore store = open(db)) {
            for (int day = 0; day <= 40; day++) {
                clock.millis = T0 + day * DAY;
                store.append(live("s", day)).join();
            }
        }
        TreeMap<Long, Long> before = rows(db);
        clock.millis = T0 + 40 * DAY + 1;
        try (EventStore store = open(db)) {
            assertThat(store.count()).isEqualTo(30);
            assertThat(store.stream("s").orElseThrow().events()).isEqualTo(30); // solo monitor list showed 41
        }
        assertThat(rows(db)).isEqualTo(youngerThan(before, clock.millis - 30 * DAY));
        assertThat(rows(db).firstEntry().getValue()).isEqualTo(T0 + 11 * DAY);
    }

    @Test
    void anEventExactlyThirtyDaysOldStaysAndOneAMillisecondOlderGoes() throws Exception {
        Path db = dir.resolve("boundary.db");
        try (EventStore store = open(db)) {
            clock.millis = T0 - 1;
            store.append(live("s", 1)).join();
            clock.millis = T0;
            store.append(live("s", 2)).join();
            store.append(imported("s", 3, T0 - 1)).join(); // late: the same two times, imported
            store.append(imported("s", 4, T0)).join();
        }
        clock.millis = T0 + 30 * DAY;
        try (EventStore store = open(db)) {
            assertThat(rows(db).keySet()).containsExactly(2L, 4L);
            assertThat(store.get(2).orElseThrow().receivedMillis()).isEqualTo(T0);
        }
    }

    /** Imported history keeps the transcript's time under a new id: an import 40 days old does not outlive 30. */
    @Test
    void importedEventsGoByTheirOwnTimeNotByTheirId() throws Exception {
        Path db = dir.resolve("import.db");
        clock.millis = T0;
        try (EventStore store = open(db)) {
            store.append(live("live", 1)).join();
            int seq = 0;
            for (long age : new long[] {40, 31, 29, 1}) {
                for (int i = 0; i < 50; i++)
                    store.append(imported("old", seq++, T0 - age * DAY + i)).join();
            }
            clock.millis = T0 + 1000;
            store.append(live("live", 2)).join();
        }
        clock.millis = T0 + 1000;
        TreeMap<Long, Long> before = rows(db);
        try (EventStore store = open(db)) {
            assertThat(store.count()).as("the 40- and 31-day-old imports went").isEqualTo(102);
        }
        assertThat(rows(db)).isEqualTo(youngerThan(before, clock.millis - 30 * DAY));
        clock.millis = T0 + 29 * DAY + 1000;
        try (EventStore store = open(db)) {
            assertThat(store.count())
                    .as("then the 29- and 1-day-old ones, by their time")
                    .isEqualTo(2);
            assertThat(store.stream("old")).as("the stream left empty is gone").isEmpty();
        }
        assertThat(rows(db).keySet()).containsExactly(1L, 202L);
    }

    /** The first event after the store opens is an import older than what is stored: it is late too. */
    @Test
    void anImportRightAfterTheStoreOpensGoesByItsTime() throws Exception {
        Path db = dir.resolve("reopen.db");
        clock.millis = T0 + 10 * DAY;
        try (EventStore store = open(db)) {
            store.append(live("live", 1)).join();
        }
        try (EventStore store = open(db)) {
            store.append(imported("old", 2, T0 - 20 * DAY)).join();
            clock.millis = T0 + 10 * DAY + 1;
            store.append(live("live", 3)).join();
        }
        clock.millis = T0 + 30 * DAY;
        try (EventStore store = open(db)) {
            assertThat(rows(db).keySet()).containsExactly(1L, 3L);
        }
    }

    /**
     * Live events, imports of any age and a wall clock that steps back, in random order. Passes run while
     * events come (the clock passes {@code checkEvery}) and at each open; at the end of every round the events
     * left are exactly those appended whose time is not before the last cut-off.
     */
    @Test
    void aMixedStoreKeepsExactlyTheEventsYoungerThanTheCutOff() throws Exception {
        Path db = dir.resolve("mixed.db");
        Random random = new Random(14);
        TreeMap<Long, Long> appended = new TreeMap<>();
        long now = T0;
        for (int round = 0; round < 6; round++) {
            try (EventStore store = open(db)) {
                for (int i = 0; i < 400; i++) {
                    int kind = random.nextInt(10);
                    NewEvent e;
                    if (kind < 6) { // live, the clock going on
                        now += random.nextInt((int) (DAY / 4));
                        clock.millis = now;
                        e = live("s" + random.nextInt(5), i);
                    } else if (kind < 9) { // an import of something up to 60 days old
                        e = imported("i" + random.nextInt(5), i, now - (long) (random.nextDouble() * 60 * DAY));
                    } else { // the clock stepped back by up to two days
                        clock.millis = now - random.nextInt((int) (2 * DAY));
                        e = live("s" + random.nextInt(5), i);
                    }
                    StoredEvent stored = store.append(e).join();
                    appended.put(stored.id(), stored.receivedMillis());
                }
                clock.millis = now;
            }
            now += random.nextInt((int) (5 * DAY));
            clock.millis = now;
            try (EventStore store = open(db)) {
                assertThat(rows(db)).as("round " + round).isEqualTo(youngerThan(appended, now - 30 * DAY));
            }
        }
        assertThat(rows(db)).hasSizeGreaterThan(100);
    }

    /** The schema of the versions that kept an index on every event's time (up to 7f5f2e3). */
    static final String[] OLD_SCHEMA = {
        "CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, received INTEGER NOT NULL, stream TEXT NOT NULL,"
                + " event TEXT NOT NULL, tool TEXT, tool_use_id TEXT, agent_id TEXT, file TEXT, source TEXT NOT NULL,"
                + " cut INTEGER NOT NULL DEFAULT 0, json TEXT NOT NULL)",
        "CREATE INDEX events_stream ON events(stream, id)",
        "CREATE INDEX events_event ON events(event, id)",
        "CREATE INDEX events_stream_event ON events(stream, event, id)",
        "CREATE INDEX events_received ON events(received)",
        "CREATE TABLE streams (id TEXT PRIMARY KEY, title TEXT, cwd TEXT, first INTEGER NOT NULL, last INTEGER NOT"
                + " NULL, events INTEGER NOT NULL, last_event TEXT, waiting TEXT, waiting_since INTEGER NOT NULL"
                + " DEFAULT 0, ended INTEGER NOT NULL DEFAULT 0, waiting_event TEXT)"
    };

    /** Rows as an older version wrote them: (time, source), ids in order; the streams' summaries to match. */
    static void writeAsOlderVersion(Connection c, List<long[]> rows, long firstId) throws Exception {
        c.setAutoCommit(false);
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO events (id, received, stream, event, source, json)"
                + " VALUES (?, ?, 'old', 'PreToolUse', ?, '{}')")) {
            long id = firstId;
            for (long[] r : rows) {
                ins.setLong(1, id++);
                ins.setLong(2, r[0]);
                ins.setString(3, r[1] == 1 ? "import" : "hook");
                ins.executeUpdate();
            }
        }
        try (Statement s = c.createStatement()) {
            s.executeUpdate("INSERT OR REPLACE INTO streams (id, first, last, events) SELECT 'old', MIN(received),"
                    + " MAX(received), COUNT(*) FROM events");
        }
        c.commit();
    }

    @Test
    void aStoreMadeByAnOlderVersionIsMigratedOnceAndRetentionStaysExact() throws Exception {
        Path db = dir.resolve("old.db");
        Random random = new Random(7);
        List<long[]> rows = new ArrayList<>();
        long now = T0;
        for (int i = 0; i < 3000; i++) {
            int kind = random.nextInt(10);
            if (kind < 6) rows.add(new long[] {now += random.nextInt((int) (DAY / 20)), 0});
            else if (kind < 9) rows.add(new long[] {now - (long) (random.nextDouble() * 50 * DAY), 1});
            else rows.add(new long[] {now - random.nextInt((int) DAY), 0}); // the clock stepped back
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement()) {
            for (String ddl : OLD_SCHEMA) s.execute(ddl);
            writeAsOlderVersion(c, rows, 1);
        }
        TreeMap<Long, Long> before = rows(db);
        // a cut-off in the middle: half the live events and imports of every age on both sides
        long cutoff = T0 + (now - T0) / 2;
        clock.millis = cutoff + 30 * DAY;
        try (EventStore store = open(db)) {
            assertThat(rows(db)).isEqualTo(youngerThan(before, cutoff));
            assertThat(indexes(db)).doesNotContain("events_received").contains("events_stream", "events_event");
            // the old store keeps working: events appended, read back, and retention exact for them too
            store.append(live("new", 1)).join();
            store.append(imported("new", 2, cutoff + DAY)).join();
            assertThat(store.get(before.lastKey() + 2).orElseThrow().receivedMillis())
                    .isEqualTo(cutoff + DAY);
        }

        // an older version opens it again: it creates its index again and adds events of its own
        List<long[]> more = List.of(new long[] {cutoff + 2 * DAY, 1}, new long[] {cutoff + 31 * DAY, 0});
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement()) {
            s.execute("CREATE INDEX IF NOT EXISTS events_received ON events(received)");
            writeAsOlderVersion(c, more, before.lastKey() + 3);
        }
        TreeMap<Long, Long> again = rows(db);
        clock.millis = cutoff + 31 * DAY + 1; // the cut-off one day and a millisecond later
        try (EventStore store = open(db)) {
            assertThat(rows(db)).isEqualTo(youngerThan(again, cutoff + DAY + 1));
            assertThat(indexes(db)).doesNotContain("events_received");
        }
    }

    static List<String> indexes(Path db) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'index'")) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }
}
