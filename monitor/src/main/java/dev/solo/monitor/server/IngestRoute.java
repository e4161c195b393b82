package dev.solo.monitor.server;

import dev.solo.monitor.ingest.BadPayloadException;
import dev.solo.monitor.ingest.Ingest;
import dev.solo.monitor.permission.PermissionAnswered;
import dev.solo.monitor.permission.PermissionDesk;
import dev.solo.monitor.store.EventStore;
import dev.solo.monitor.store.NewEvent;
import dev.solo.monitor.store.StoredEvent;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * {@code POST /api/hooks} (raw Claude Code hook JSON) and {@code POST /api/events} (claude-mpm's
 * envelope): parse, append, and answer {@code 200} with an empty body once the event is committed, so
 * an acknowledged event survives a crash. A 2xx with a body would count as a hook error in Claude Code;
 * the one exception is a {@code PermissionRequest} the user answered on the page, whose answer is the
 * decision's JSON (see {@link PermissionDesk}).
 */
final class IngestRoute {
    private final Ingest ingest;
    private final EventStore store;
    private final int maxBody;
    private final PermissionDesk desk;

    IngestRoute(Ingest ingest, EventStore store, int maxBody, PermissionDesk desk) {
        this.ingest = ingest;
        this.store = store;
        this.maxBody = maxBody;
        this.desk = desk;
    }

    void hook(Exchange x) {
        append(x, false);
    }

    void envelope(Exchange x) {
        append(x, true);
    }

    private void append(Exchange x, boolean envelope) {
        long declared = x.request.getLength();
        if (declared > maxBody) {
            x.error(413, tooBig(declared));
            return;
        }
        byte[] body;
        try {
            body = readBody(x.request, maxBody);
        } catch (BodyTooLarge e) {
            x.error(413, tooBig(-1));
            return;
        } catch (IOException e) {
            x.error(400, "cannot read the request body: " + e.getMessage());
            return;
        }
        NewEvent event;
        try {
            event = envelope ? ingest.envelope(body) : ingest.hook(body);
        } catch (BadPayloadException e) {
            x.error(400, e.getMessage());
            return;
        }
        store.append(event).whenComplete((stored, failure) -> {
            if (failure != null) x.error(503, failure.getMessage());
            else
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

    private String tooBig(long declared) {
        return "the body" + (declared >= 0 ? " (" + declared + " bytes)" : "") + " is over the limit of " + maxBody
                + " bytes; nothing was stored";
    }

    private static final class BodyTooLarge extends IOException {
        private static final long serialVersionUID = 1L;
    }

    private static byte[] readBody(Request request, int max) throws IOException {
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) throw new BodyTooLarge();
            return bytes;
        }
    }
}
