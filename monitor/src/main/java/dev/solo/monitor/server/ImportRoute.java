package dev.solo.monitor.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.solo.monitor.history.Importer;
import dev.solo.monitor.transcript.TranscriptException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code POST /api/import} ({@code {"days": N}} optional: only transcripts changed in the last N
 * days): imports past sessions from the transcripts ({@link Importer}) on a thread of its own and
 * answers with what it did; one import at a time (another gets 409).
 */
final class ImportRoute {
    private final Importer importer;
    private final AtomicBoolean busy = new AtomicBoolean();

    ImportRoute(Importer importer) {
        this.importer = importer;
    }

    void run(Exchange x) {
        JsonNode body = JsonBody.read(x);
        Duration age = null;
        if (body.has("days")) {
            JsonNode d = body.get("days");
            if (!d.canConvertToLong() || d.asLong() < 1 || d.asLong() > 3650) {
                throw new IllegalArgumentException("\"days\" must be a whole number of days, 1..3650, got " + d);
            }
            age = Duration.ofDays(d.asLong());
        }
        if (!busy.compareAndSet(false, true)) {
            x.error(409, "an import is already running; wait for it to finish");
            return;
        }
        Duration maxAge = age;
        Thread t = new Thread(
                () -> {
                    try {
                        x.json(200, importer.run(maxAge).toMap());
                    } catch (TranscriptException e) {
                        x.error(404, e.getMessage());
                    } catch (RuntimeException e) {
                        x.error(500, "the import failed: " + e);
                    } finally {
                        busy.set(false);
                    }
                },
                "monitor-import");
        t.setDaemon(true);
        t.start();
    }
}
