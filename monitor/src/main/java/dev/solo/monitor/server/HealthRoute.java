package dev.solo.monitor.server;

import dev.solo.core.Registry;
import dev.solo.core.ServiceIdentity;
import dev.solo.monitor.live.EventJson;
import dev.solo.monitor.security.Guard;
import dev.solo.monitor.store.EventStore;
import dev.solo.monitor.store.StreamInfo;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Who answers on this port, and how it is doing.
 *
 * <ul>
 *   <li>{@code GET /health} (public): the identity only, nothing about the user's activity. With {@code
 *       ?nonce=} it adds the proof that this monitor knows the user's token, bound to its service, port,
 *       instance and pid (see {@link dev.solo.core.Token#proof(String, ServiceIdentity)}).
 *   <li>{@code GET /api/status} (a session or the token): the identity plus the stream and event
 *       counts, the database and the number of dashboard sessions; what {@code solo monitor status}
 *       and {@code list} show.
 * </ul>
 */
final class HealthRoute {
    private static final Pattern NONCE = Pattern.compile("[0-9A-Za-z_-]{8,128}");

    private final Supplier<ServiceIdentity> identity;
    private final Registry registry;
    private final EventStore store;
    private final Guard guard;
    private final Path database;
    private final Clock clock;

    HealthRoute(
            Supplier<ServiceIdentity> identity,
            Registry registry,
            EventStore store,
            Guard guard,
            Path database,
            Clock clock) {
        this.identity = identity;
        this.registry = registry;
        this.store = store;
        this.guard = guard;
        this.database = database;
        this.clock = clock;
    }

    void health(Exchange x) {
        ServiceIdentity id = identity.get();
        Map<String, Object> map = id.toMap(clock.instant());
        String nonce = x.param("nonce");
        if (nonce != null) {
            if (!NONCE.matcher(nonce).matches()) {
                x.error(400, "nonce must be 8-128 characters of [0-9A-Za-z_-]");
                return;
            }
            map.put("proof", registry.token().proof(nonce, id));
        }
        x.json(200, flat(map));
    }

    /**
     * A map of strings, numbers, booleans and nulls as one JSON object, written by hand: the first
     * {@code /health} after start (what a launcher or a socket-activated hook waits for) does not wait
     * for Jackson's serializers to initialise. Anything else goes through {@link JsonOut}.
     */
    static String flat(Map<String, Object> map) {
        StringBuilder b = new StringBuilder(256).append('{');
        for (Map.Entry<String, Object> e : map.entrySet()) {
            Object v = e.getValue();
            if (b.length() > 1) b.append(',');
            EventJson.string(b, e.getKey());
            b.append(':');
            if (v == null || v instanceof String) EventJson.string(b, (String) v);
            else if (v instanceof Integer || v instanceof Long || v instanceof Boolean) b.append(v);
            else return JsonOut.write(map);
        }
        return b.append('}').toString();
    }

    void status(Exchange x) {
        Map<String, Object> map = identity.get().toMap(clock.instant());
        long events = 0;
        List<StreamInfo> all = store.streams();
        for (StreamInfo s : all) events += s.events();
        map.put("streams", all.size());
        map.put("events", events);
        map.put("last_event_id", store.lastId());
        map.put("database", database.toString());
        map.put("sessions", guard.sessionCount());
        x.json(200, map);
    }
}
