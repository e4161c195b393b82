package dev.solo.monitor.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's inbox ({@link Journal}) on real files: what a crash left in it is stored at the next open,
 * a record cut short is skipped, both files of a rotation are replayed in order, the sealed file goes
 * once the database holds it, and ids are never reused.
 */
@Timeout(60)
class InboxTest {
    @TempDir
    Path dir;

    static NewEvent event(int seq, int pad) {
        String json = "{\"session_id\":\"inbox\",\"hook_event_name\":\"PreToolUse\",\"seq\":" + seq + ",\"pad\":\""
                + "p".repeat(pad) + "\"}";
        return new NewEvent(
                "inbox", "PreToolUse", "Bash", "tu" + seq, null, null, null, "/w", null, null, "hook", 0, json);
    }

    static Path inbox(Path db) {
        return Journal.file(db);
    }

    static Path sealed(Path db) {
        return db.resolveSibling(db.getFileName() + "-inbox.1");
    }

    @Test
    void whatACrashLeftInTheInboxIsStoredAtOpenAndARecordCutShortIsSkipped() throws Exception {
        Path db = dir.resolve("crash.db");
        try (EventStore store = EventStore.open(db, Clock.systemUTC(), Retention.DEFAULT, b -> {})) {
            for (int i = 1; i <= 3; i++) store.append(event(i, 10)).join();
        }
        assertThat(inbox(db)).as("a clean close leaves no inbox").doesNotExist();

        // a monitor killed after acknowledging 4..6, in the middle of writing 7 (never acknowledged)
        long now = System.currentTimeMillis(); // older events would go at the next open's retention pass
        try (Journal j = Journal.create(db)) {
            for (int i = 4; i <= 6; i++) j.append(Journal.encode(event(i, 10)).record(), i, now + i);
        }
        byte[] seventh = Journal.encode(event(7, 10)).record();
        Files.write(inbox(db), Arrays.copyOf(seventh, seventh.length / 2), StandardOpenOption.APPEND);

        try (EventStore store = EventStore.open(db, Clock.systemUTC(), Retention.DEFAULT, b -> {})) {
            assertThat(store.count()).isEqualTo(6);
            StoredEvent fifth = store.get(5).orElseThrow();
            assertThat(fifth.json()).contains("\"seq\":5");
            assertThat(fifth.receivedMillis()).isEqualTo(now + 5);
            assertThat(fifth.tool()).isEqualTo("Bash");
            assertThat(fifth.toolUseId()).isEqualTo("tu5");
            assertThat(store.stream("inbox").orElseThrow().events()).isEqualTo(6);
            assertThat(Files.size(inbox(db))).as("a fresh inbox").isZero();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(inbox(db))))
                    .isEqualTo("rw-------");
            assertThat(store.append(event(8, 10)).join().id())
                    .as("the id of the record cut short is given again: it was never acknowledged")
                    .isEqualTo(7);
        }
        try (EventStore store = EventStore.open(db, Clock.systemUTC(), Retention.DEFAULT, b -> {})) {
            assertThat(store.count()).as("nothing is stored twice").isEqualTo(7);
        }
    }

    @Test
    void bothFilesOfARotationAreReplayedInOrder() throws Exception {
        Path db = dir.resolve("rot.db");
        int pad = 1024 * 1024; // ten 1 MiB events: the 8 MiB rotation happens once
        try (Journal j = Journal.create(db)) {
            for (int i = 1; i <= 10; i++)
                j.append(Journal.encode(event(i, pad)).record(), i, System.currentTimeMillis());
        }
        assertThat(sealed(db)).exists();
        assertThat(inbox(db)).exists();
        List<Long> ids = new ArrayList<>();
        long last = Journal.replay(db, 3, a -> ids.add(a.id()));
        assertThat(ids).as("only what the database lacks, in order").containsExactly(4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(last).isEqualTo(10);

        try (EventStore store = EventStore.open(db, Clock.systemUTC(), Retention.DEFAULT, b -> {})) {
            assertThat(store.count()).isEqualTo(10);
            assertThat(store.lastId()).isEqualTo(10);
            assertThat(sealed(db)).doesNotExist();
        }
    }

    @Test
    void theSealedFileIsDeletedOnceTheDatabaseHoldsItsEvents() throws Exception {
        Path db = dir.resolve("seal.db");
        try (EventStore store = EventStore.open(db, Clock.systemUTC(), Retention.DEFAULT, b -> {})) {
            for (int i = 1; i <= 40; i++) store.append(event(i, 256 * 1024)).join(); // 10 MiB: one rotation
            assertThat(store.count()).isEqualTo(40); // waits for the writer
            assertThat(sealed(db))
                    .as("the sealed file, once its events are in the database")
                    .doesNotExist();
            assertThat(Files.size(inbox(db))).isLessThan(8L * 1024 * 1024);
        }
    }

    @Test
    void idsAreNotReusedAfterEveryEventWasDeleted() throws Exception {
        Path db = dir.resolve("ids.db");
        try (EventStore store = EventStore.open(db, Clock.systemUTC(), Retention.DEFAULT, b -> {})) {
            store.append(event(1, 1)).join();
            store.append(event(2, 1)).join();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM events");
        }
        try (EventStore store = EventStore.open(db, Clock.systemUTC(), Retention.DEFAULT, b -> {})) {
            assertThat(store.lastId()).isEqualTo(2);
            assertThat(store.append(event(3, 1)).join().id()).isEqualTo(3);
        }
    }
}
