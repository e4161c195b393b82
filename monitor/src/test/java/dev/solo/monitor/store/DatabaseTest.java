package dev.solo.monitor.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The connections {@link Database} opens, on a real SQLite file. */
@Timeout(60)
class DatabaseTest {
    @TempDir
    Path dir;

    /**
     * An insert is not followed by the driver's look-up of its generated key (a regex over the SQL and a
     * {@code SELECT last_insert_rowid()} prepared and run each time): the store never reads it, and it was a
     * fifth of the writer's CPU per event.
     */
    @Test
    void anInsertOnTheWritersConnectionLooksUpNoGeneratedKey() throws Exception {
        try (Connection c = Database.writer(dir.resolve("events.db"), new Properties())) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (v) VALUES (?)")) {
                ps.setString(1, "x");
                assertThat(ps.executeUpdate()).isEqualTo(1);
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    assertThat(keys == null || !keys.next())
                            .as("a generated key was looked up")
                            .isTrue();
                }
            }
        }
    }
}
