package dev.solo.monitor.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without the index on every event's time ({@code events_received}), every read the dashboard and the live
 * feed make keeps the plan it had with it, and retention reads by index and id only. Asked of SQLite
 * ({@code EXPLAIN QUERY PLAN}, no {@code ANALYZE}, as the store runs) on two stores of 200,000 events: one
 * made by this version, one with the older versions' schema holding the same rows.
 */
@Timeout(180)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryPlanTest {
    static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    static final int ROWS = 200_000;

    @TempDir
    static Path dir;

    Path current;
    Path older;

    /** 200,000 events in 50 streams, six event names, files, agents and tools as a day of hooks has them. */
    static final String FILL = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + ROWS + ")"
            + " INSERT INTO events (id, received, stream, event, tool, tool_use_id, agent_id, file, source, cut, json)"
            + " SELECT i, " + T0 + " + i * 1000, 's' || (i % 50), CASE i % 6 WHEN 0 THEN 'PreToolUse' WHEN 1 THEN"
            + " 'PostToolUse' WHEN 2 THEN 'UserPromptSubmit' WHEN 3 THEN 'SubagentStart' WHEN 4 THEN 'Notification'"
            + " ELSE 'Stop' END, CASE WHEN i % 6 < 2 THEN 'Edit' END, 'tu' || i, CASE WHEN i % 10 = 3 THEN 'a' || i"
            + " END, CASE WHEN i % 6 = 1 THEN '/w/f' || (i % 100) END, 'hook', 0, '{\"seq\":' || i || '}' FROM n";

    static final String STREAMS = "INSERT INTO streams (id, first, last, events) SELECT stream, MIN(received),"
            + " MAX(received), COUNT(*) FROM events GROUP BY stream";

    @BeforeAll
    void stores() throws Exception {
        current = dir.resolve("current.db");
        Clock clock = Clock.fixed(Instant.ofEpochMilli(T0), ZoneOffset.UTC);
        EventStore.open(current, clock, Retention.DEFAULT, b -> {}).close(); // this version's schema
        fill(current);
        older = dir.resolve("older.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + older);
                Statement s = c.createStatement()) {
            for (String ddl : RetentionTest.OLD_SCHEMA) s.execute(ddl);
        }
        fill(older);
    }

    static void fill(Path db) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.executeUpdate(FILL);
            s.executeUpdate(STREAMS);
            c.commit();
        }
    }

    /** Every read of {@link EventReader}, with the arguments the dashboard's and the live feed's routes give. */
    static Map<String, EventReader.Sql> reads() {
        Map<String, EventReader.Sql> q = new LinkedHashMap<>();
        q.put("a page of everything", EventReader.pageSql(page(List.of(), List.of(), List.of(), null, 0)));
        q.put("a stream's page", EventReader.pageSql(page(List.of("s7"), List.of(), List.of(), null, 0)));
        q.put(
                "a stream's page before an id",
                EventReader.pageSql(page(List.of("s7"), List.of(), List.of(), null, 150_000)));
        q.put("an event over all streams", EventReader.pageSql(page(List.of(), List.of("Stop"), List.of(), null, 0)));
        q.put(
                "a stream's page of an event",
                EventReader.pageSql(page(List.of("s7"), List.of("Stop"), List.of(), null, 0)));
        q.put("a tool", EventReader.pageSql(page(List.of(), List.of(), List.of("Edit"), null, 0)));
        q.put("a text search in a stream", EventReader.pageSql(page(List.of("s7"), List.of(), List.of(), "seq", 0)));
        q.put("the live feed's resume", EventReader.afterSql(150_000, null, 500));
        q.put("a stream's resume", EventReader.afterSql(150_000, "s7", 500));
        q.put(
                "a stream's latest of some events",
                EventReader.latestOfSql("s7", List.of("UserPromptSubmit", "Stop"), 50));
        q.put("a stream's agents", EventReader.agentEventsSql("s7", 1000));
        q.put("a stream's files", EventReader.fileEventsSql("s7", 1000));
        q.put("the event names of all streams", EventReader.eventNamesSql(null));
        q.put("a stream's event names", EventReader.eventNamesSql("s7"));
        q.put("one event", EventReader.getSql(123_456));
        q.put("the count", EventReader.COUNT);
        return q;
    }

    static EventQuery page(List<String> streams, List<String> events, List<String> tools, String text, long before) {
        return new EventQuery(streams, events, tools, text, before, -1, 100);
    }

    static String plan(Path db, EventReader.Sql q) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                PreparedStatement ps =
                        EventReader.bind(c, new EventReader.Sql("EXPLAIN QUERY PLAN " + q.text(), q.args()));
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) lines.add(rs.getString("detail"));
        }
        return String.join(" / ", lines);
    }

    @Test
    void everyReadKeepsThePlanItHadWithTheIndexOnTime() throws Exception {
        assertThat(RetentionTest.indexes(current)).doesNotContain(Timeline.OLD_INDEX);
        assertThat(RetentionTest.indexes(older)).contains(Timeline.OLD_INDEX);
        for (Map.Entry<String, EventReader.Sql> read : reads().entrySet()) {
            String now = plan(current, read.getValue());
            System.out.println(read.getKey() + ": " + now);
            // COUNT(*) walks the smallest index; that was the one on time (only benchmarks and tests count)
            if (read.getKey().equals("the count")) continue;
            assertThat(now).as(read.getKey()).isEqualTo(plan(older, read.getValue()));
            assertThat(now).as(read.getKey()).doesNotContain(Timeline.OLD_INDEX);
        }
    }

    @Test
    void readsThatPickOutEventsSearchAnIndexInsteadOfScanningTheTable() throws Exception {
        for (Map.Entry<String, EventReader.Sql> read : reads().entrySet()) {
            String now = plan(current, read.getValue());
            switch (read.getKey()) {
                // newest first by id, stopping at the page's size: a walk of the table's own order (a tool has no
                // index of its own, as before)
                case "a page of everything", "a tool" -> assertThat(now).isEqualTo("SCAN events");
                // every row's name is counted: the smallest index that holds it, as before
                case "the event names of all streams" ->
                    assertThat(now)
                            .isEqualTo("SCAN events USING COVERING INDEX events_event / USE TEMP B-TREE FOR ORDER BY");
                case "the count" -> assertThat(now).startsWith("SCAN events USING COVERING INDEX");
                default -> assertThat(now).as(read.getKey()).startsWith("SEARCH events USING");
            }
        }
    }

    /** The statements of {@link Timeline#deleteBefore}: late events by their time, the rest by id. */
    @Test
    void retentionSearchesByTheLateEventsTimeAndByIdOnly() throws Exception {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put(
                "DELETE FROM events WHERE id IN (SELECT id FROM late_events WHERE received < ?)",
                "SEARCH events USING INTEGER PRIMARY KEY (rowid=?) / LIST SUBQUERY 1 / SEARCH late_events USING"
                        + " PRIMARY KEY (received<?)");
        expected.put("DELETE FROM late_events WHERE received < ?", "SEARCH late_events USING PRIMARY KEY (received<?)");
        expected.put(
                "SELECT id, received FROM events WHERE id >= ? ORDER BY id LIMIT 1",
                "SEARCH events USING INTEGER PRIMARY KEY (rowid>?)");
        expected.put(
                "DELETE FROM events WHERE id < ? AND received < ?",
                "SEARCH events USING INTEGER PRIMARY KEY (rowid<?)");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            int params = (int) e.getKey().chars().filter(ch -> ch == '?').count();
            List<Object> args = new ArrayList<>();
            for (int i = 0; i < params; i++) args.add(T0);
            assertThat(plan(current, new EventReader.Sql(e.getKey(), args)))
                    .as(e.getKey())
                    .isEqualTo(e.getValue());
        }
    }

    /** A retention pass on the 200,000 events deletes by the rule, here all but the newest ones. */
    @Test
    void aRetentionPassOnTheLargeStoreDeletesTheOldPrefix() throws Exception {
        Path copy = dir.resolve("pass.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + current);
                Statement s = c.createStatement()) {
            s.execute("VACUUM INTO '" + copy + "'");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy)) {
            c.setAutoCommit(false);
            long cutoff = T0 + 150_000L * 1000;
            assertThat(Timeline.deleteBefore(c, cutoff)).isEqualTo(149_999);
            c.commit();
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT MIN(id), COUNT(*) FROM events")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(150_000);
                assertThat(rs.getLong(2)).isEqualTo(ROWS - 149_999);
            }
        }
    }
}
