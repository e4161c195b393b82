package dev.solo.monitor.server;

import dev.solo.monitor.ingest.BadPayloadException;
import dev.solo.monitor.ingest.Ingest;
import dev.solo.monitor.permission.PermissionAnswered;
import dev.solo.monitor.permission.PermissionDesk;
import dev.solo.monitor.store.EventStore;
import dev.solo.monitor.store.NewEvent;
import dev.solo.monitor.store.StoredEvent;
import java.time.Duration;

/**
 * {@code POST /api/hooks} (raw Claude Code hook JSON) and {@code POST /api/events} (claude-mpm's
 * envelope): read the body (without holding a thread, within a deadline), parse, append, and answer
 * {@code 200} with an empty body once the event is in the store's inbox, so an acknowledged event survives
 * a crash. A 2xx with a body would count as a hook error in Claude Code; the one exception is a {@code
 * PermissionRequest} the user answered on the page, whose answer is the decision's JSON (see {@link
 * PermissionDesk}). Any error means nothing was stored.
 */
final class IngestRoute {
    /**
     * The largest body handled on the thread that read it (usually Jetty's selector: {@link ApiHandler}); a
     * larger one, a tool's long output, is parsed on the pool. Claude Code's hook payloads are mostly 1-10 KB.
     */
    static final int INLINE_BODY = 64 * 1024;

    private final Ingest ingest;
    private final EventStore store;
    private final int maxBody;
    private final Duration bodyTimeout;
    private final PermissionDesk desk;

    IngestRoute(Ingest ingest, EventStore store, int maxBody, Duration bodyTimeout, PermissionDesk desk) {
        this.ingest = ingest;
        this.store = store;
        this.maxBody = maxBody;
        this.bodyTimeout = bodyTimeout;
        this.desk = desk;
    }

    void hook(Exchange x) {
        append(x, false);
    }

    void envelope(Exchange x) {
        append(x, true);
    }

    private void append(Exchange x, boolean envelope) {
        RequestBody.read(x, maxBody, bodyTimeout, body -> {
            if (body.length <= INLINE_BODY) {
                parseAndStore(x, envelope, body);
            } else { // parsing megabytes would hold up every connection of the selector thread meanwhile
                x.request.getComponents().getExecutor().execute(() -> parseAndStore(x, envelope, body));
            }
        });
    }

    private void parseAndStore(Exchange x, boolean envelope, byte[] body) {
        NewEvent event;
        try {
            event = envelope ? ingest.envelope(body) : ingest.hook(body);
        } catch (BadPayloadException e) {
            x.error(400, e.getMessage());
            return;
        }
        store.append(event).whenComplete((stored, failure) -> {
            if (failure != null) {
                x.error(503, failure.getMessage());
                return;
            }
            desk.settle(stored); // a prompt answered in the terminal is no longer held
            desk.offer(stored).thenAccept(decision -> answered(x, stored, decision)); // held while the user decides
        });
    }

    /**
     * Sends the hook's answer; a decision made on the page is recorded first ({@link PermissionAnswered}),
     * so the stream stops waiting before Claude Code acts on it. The answer goes back even when that
     * record cannot be stored (the monitor is shutting down).
     */
    private void answered(Exchange x, StoredEvent request, String decision) {
        if (decision.isEmpty()) {
            answer(x, decision);
            return;
        }
        store.append(PermissionAnswered.of(request, decision)).whenComplete((s, failure) -> answer(x, decision));
    }

    /** No decision: an empty 200 (Claude Code goes on as usual); a decision: its JSON. */
    private static void answer(Exchange x, String decision) {
        if (decision.isEmpty()) x.empty(200);
        else x.json(200, decision);
    }
}
