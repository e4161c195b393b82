package dev.solo.monitor.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.monitor.store.EventStore;
import dev.solo.monitor.store.NewEvent;
import dev.solo.monitor.store.Retention;
import dev.solo.monitor.store.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A round's frames: an event is framed and encoded once per round and form, and a client's write is its
 * events' frames in order, byte for byte what {@link SseStream#frame} writes in UTF-8 (text outside Latin-1
 * and line breaks in the data included).
 */
@Timeout(60)
class FramesTest {
    @TempDir
    Path dir;

    EventStore store;
    LiveFeed feed;

    @BeforeEach
    void open() {
        store = EventStore.open(dir.resolve("events.db"), Clock.systemUTC(), Retention.DEFAULT, batch -> {});
        feed = new LiveFeed(store, 100);
    }

    @AfterEach
    void close() {
        feed.close();
        store.close();
    }

    StoredEvent append(String prompt) throws Exception {
        String json =
                "{\"session_id\":\"frames\",\"hook_event_name\":\"UserPromptSubmit\",\"prompt\":\"" + prompt + "\"}";
        NewEvent e = new NewEvent(
                "frames", "UserPromptSubmit", null, null, null, null, null, null, null, null, "hook", 0, json);
        return store.append(e).get(30, TimeUnit.SECONDS);
    }

    static String expected(LiveFeed feed, List<StoredEvent> events, boolean row) {
        StringBuilder b = new StringBuilder();
        for (StoredEvent e : events) SseStream.frame(b, Long.toString(e.id()), feed.json(e, row));
        return b.toString();
    }

    @Test
    void aClientsWriteIsItsEventsFramesInOrderInUtf8() throws Exception {
        List<StoredEvent> events = List.of(append("café 12€ ✓ 日本"), append("plain"), append("two\\nlines"));
        Frames frames = new Frames(feed);
        for (boolean row : new boolean[] {true, false}) {
            assertThat(new String(frames.join(events, row), StandardCharsets.UTF_8))
                    .isEqualTo(expected(feed, events, row));
            assertThat(new String(frames.join(events.subList(1, 3), row), StandardCharsets.UTF_8))
                    .isEqualTo(expected(feed, events.subList(1, 3), row));
        }
        assertThat(frames.join(List.of(), true)).isEmpty();
    }

    @Test
    void anEventIsFramedOncePerRoundAndFormAndAfreshInTheNext() throws Exception {
        StoredEvent e = append("once");
        Frames frames = new Frames(feed);
        byte[] row = frames.of(e, true);
        byte[] full = frames.of(e, false);
        assertThat(frames.of(e, true)).isSameAs(row);
        assertThat(frames.of(e, false)).isSameAs(full);
        assertThat(full).isNotEqualTo(row);
        frames.clear(); // the next round keeps nothing of this one
        byte[] next = frames.of(e, true);
        assertThat(next).isNotSameAs(row).isEqualTo(row);
    }
}
