package dev.solo.monitor.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event database holds every prompt, command and file of every session: its file and SQLite's
 * {@code -wal} and {@code -shm} beside it are the owner's only, whether the store made them or an earlier
 * version left them readable by everyone.
 */
@Timeout(60)
class DatabaseModeTest {
    @TempDir
    Path dir;

    static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    static void appendOne(EventStore store) throws Exception {
        store.append(EventStoreFullTest.event(1)).get(30, TimeUnit.SECONDS);
    }

    @Test
    void aNewDatabaseAndItsWalAndShmAreOwnerOnly() throws Exception {
        Path file = dir.resolve("events.db");
        try (EventStore store = EventStore.open(file, Clock.systemUTC(), Retention.DEFAULT, batch -> {})) {
            appendOne(store);
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                Path f = dir.resolve("events.db" + suffix);
                assertThat(f).exists();
                assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------");
            }
        }
    }

    @Test
    void filesAnEarlierVersionLeftReadableAreTightenedAtOpen() throws Exception {
        Path file = dir.resolve("events.db");
        try (EventStore store = EventStore.open(file, Clock.systemUTC(), Retention.DEFAULT, batch -> {})) {
            appendOne(store);
        }
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Path f = dir.resolve("events.db" + suffix);
            if (Files.exists(f)) Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        }
        try (EventStore store = EventStore.open(file, Clock.systemUTC(), Retention.DEFAULT, batch -> {})) {
            appendOne(store);
            assertThat(store.count()).isEqualTo(2);
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                Path f = dir.resolve("events.db" + suffix);
                if (Files.exists(f)) assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------");
            }
        }
    }
}
