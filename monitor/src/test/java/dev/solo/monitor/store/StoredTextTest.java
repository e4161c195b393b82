package dev.solo.monitor.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.monitor.ingest.Ingest;
import dev.solo.monitor.testing.HookFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer binds the payload as the UTF-8 bytes of its inbox record and has SQLite store them as TEXT
 * instead of encoding the payload again with {@code setString}: what is stored stays what {@code setString}
 * stores, byte for byte and as TEXT, for every payload under {@code fixtures/claude-code-hooks} as ingest
 * turns it into JSON (stored as sent, or written back when pretty-printed), for non-ASCII text, and for
 * events stored from the inbox after a crash.
 */
@Timeout(60)
class StoredTextTest {
    @TempDir
    Path dir;

    static List<String> payloads() throws Exception {
        Ingest ingest = new Ingest();
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(HookFixtures.DIR)) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                out.add(ingest.hook(Files.readAllBytes(f)).json());
            }
        }
        // a body pretty-printed (written back), escapes, and text beyond ASCII (two, three and four bytes)
        for (String body : new String[] {
            "{ \"session_id\": \"s\", \"prompt\": \"caf\\u00e9 a\\/b\" }",
            "{\"session_id\":\"s\",\"prompt\":\"café 日本語 🙂 Ωμέγα\"}",
            "{\"session_id\":\"s\",\"prompt\":\"tab\\tnl\\nquote\\\"back\\\\\"}"
        }) {
            out.add(ingest.hook(body.getBytes(StandardCharsets.UTF_8)).json());
        }
        out.add("{\"s\":\"\ud800 lone surrogate, \udfff another\"}"); // encoded as '?' by String.getBytes and setString
        return out;
    }

    static NewEvent event(String json) {
        return new NewEvent("s", "PreToolUse", null, null, null, null, null, null, null, null, "hook", 0, json);
    }

    /** The stored (type, hex) of every event, in id order. */
    static List<String> stored(Path db, String table) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT typeof(json), hex(json) FROM " + table + " ORDER BY id")) {
            while (rs.next()) out.add(rs.getString(1) + " " + rs.getString(2));
        }
        return out;
    }

    /** What {@code setString} stores for each payload, in a table of its own. */
    static List<String> reference(Path db, List<String> payloads) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE ref (id INTEGER PRIMARY KEY, json TEXT NOT NULL)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ref (json) VALUES (?)")) {
                for (String p : payloads) {
                    ps.setString(1, p);
                    ps.executeUpdate();
                }
            }
        }
        return stored(db, "ref");
    }

    @Test
    void everyPayloadIsStoredAsTheSameTextSetStringStores() throws Exception {
        List<String> payloads = payloads();
        assertThat(payloads).hasSizeGreaterThan(35);
        Path db = dir.resolve("events.db");
        try (EventStore store = EventStore.open(db, Clock.systemUTC(), Retention.DEFAULT, b -> {})) {
            for (String p : payloads) store.append(event(p)).join();
            for (int i = 0; i < payloads.size(); i++) {
                String read = store.get(i + 1).orElseThrow().json();
                assertThat(read)
                        .isEqualTo(
                                new String(payloads.get(i).getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
            }
        }
        List<String> expected = reference(dir.resolve("ref.db"), payloads);
        assertThat(expected).allMatch(row -> row.startsWith("text "));
        assertThat(stored(db, "events")).containsExactlyElementsOf(expected);
    }

    @Test
    void eventsStoredFromTheInboxAfterACrashAreStoredAsTheSameText() throws Exception {
        List<String> payloads = payloads();
        Path db = dir.resolve("crash.db");
        EventStore.open(db, Clock.systemUTC(), Retention.DEFAULT, b -> {}).close();
        try (Journal j = Journal.create(db)) { // a monitor killed before its writer stored these
            long now = System.currentTimeMillis();
            for (int i = 0; i < payloads.size(); i++) {
                j.append(Journal.encode(event(payloads.get(i))).record(), i + 1, now);
            }
        }
        try (EventStore store = EventStore.open(db, Clock.systemUTC(), Retention.DEFAULT, b -> {})) {
            assertThat(store.count()).isEqualTo(payloads.size());
        }
        assertThat(stored(db, "events")).containsExactlyElementsOf(reference(dir.resolve("ref.db"), payloads));
    }
}
