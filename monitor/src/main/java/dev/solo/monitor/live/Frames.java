package dev.solo.monitor.live;

import dev.solo.monitor.store.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The SSE frames of one round of the {@link LiveHub}: each event's frame ({@code id:} and {@code data:}
 * lines, UTF-8) is built once per round and form, whichever client of the round asks first, and the
 * others copy its bytes. The clients of a round read the same new events, so 50 dashboards cost one
 * rendering and one UTF-8 encoding of an event instead of 50 (the per-client string building and encoding
 * saturated the hub at 2,000 events/s: delivery took seconds; docs/benchmarks.md, "Session 15, the lead's runs").
 *
 * <p>{@link #clear()} after every round: nothing is kept between rounds, so the memo holds at most what the
 * round writes anyway. Confined to the hub's thread; not thread-safe.
 */
final class Frames {
    private final LiveFeed feed;
    private final Map<Long, byte[]> rows = new HashMap<>();
    private final Map<Long, byte[]> full = new HashMap<>();

    Frames(LiveFeed feed) {
        this.feed = feed;
    }

    /** The frame of {@code e} in the row form ({@code row}) or the full one. */
    byte[] of(StoredEvent e, boolean row) {
        Map<Long, byte[]> memo = row ? rows : full;
        byte[] f = memo.get(e.id());
        if (f == null) {
            StringBuilder b = new StringBuilder();
            SseStream.frame(b, Long.toString(e.id()), feed.json(e, row));
            f = b.toString().getBytes(StandardCharsets.UTF_8);
            memo.put(e.id(), f);
        }
        return f;
    }

    /** The frames of {@code events}, in order, as one array: what one client's write sends. */
    byte[] join(List<StoredEvent> events, boolean row) {
        byte[][] parts = new byte[events.size()][];
        int length = 0;
        for (int i = 0; i < parts.length; i++) {
            parts[i] = of(events.get(i), row);
            length += parts[i].length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** Forgets the round's frames. */
    void clear() {
        rows.clear();
        full.clear();
    }
}
