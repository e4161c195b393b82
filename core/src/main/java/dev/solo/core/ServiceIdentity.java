package dev.solo.core;

import dev.solo.core.internal.Instants;
import dev.solo.core.internal.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Who a resident is: what {@code HELLO} answers on the line protocol and what {@code /health} answers
 * over HTTP. Immutable; {@code name} is empty for the default (unnamed) instance.
 *
 * @param service the service name, such as {@code solo-monitor}; the key of single-instance behaviour
 * @param version the resident's version string
 * @param pid the resident's process id
 * @param user the OS user the resident runs as
 * @param instance a random id, new at every start, that tells two lives of the same service apart
 * @param started when the resident started
 * @param port the loopback port it serves on (the same port on 127.0.0.1 and ::1)
 * @param name the instance name, or empty
 * @param state {@code idle} or {@code busy}
 */
public record ServiceIdentity(
        String service,
        String version,
        long pid,
        String user,
        String instance,
        Instant started,
        int port,
        String name,
        State state) {

    /** Whether the resident runs an exclusive job right now. */
    public enum State {
        IDLE,
        BUSY;

        /** The wire form: {@code idle} or {@code busy}. */
        public String wire() {
            return this == IDLE ? "idle" : "busy";
        }
    }

    /**
     * The protocol version this build speaks, carried in {@code HELLO} and {@code /health}. 2: the proof is
     * bound to the endpoint ({@link Token#proof(String, ServiceIdentity)}).
     */
    public static final int PROTOCOL_VERSION = 2;

    public ServiceIdentity {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(state, "state");
        name = name == null ? "" : name;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
    }

    /** A copy with another state. */
    public ServiceIdentity withState(State newState) {
        return new ServiceIdentity(service, version, pid, user, instance, started, port, name, newState);
    }

    /**
     * The identity as an ordered map, ready to be written as JSON: the fields of this record plus
     * {@code protocol}, {@code status} and {@code uptime} (whole seconds at {@code now}).
     */
    public Map<String, Object> toMap(Instant now) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("status", "running");
        map.put("service", service);
        map.put("version", version);
        map.put("port", port);
        map.put("pid", pid);
        map.put("uptime", Math.max(0, now.getEpochSecond() - started.getEpochSecond()));
        map.put("user", user);
        map.put("instance", instance);
        map.put("name", name);
        map.put("started", started.toString());
        map.put("state", state.wire());
        map.put("protocol", PROTOCOL_VERSION);
        return map;
    }

    /** The identity as one line of JSON (no line breaks). */
    public String toJson(Instant now) {
        return Json.write(toMap(now));
    }

    /**
     * Reads an identity from the map form. Missing optional fields get neutral values; a missing or
     * non-string {@code service} is an {@link IllegalArgumentException}, since it is what tells our
     * service from someone else's.
     */
    public static ServiceIdentity fromMap(Map<String, Object> map) {
        Object service = map.get("service");
        if (!(service instanceof String s) || s.isEmpty()) {
            throw new IllegalArgumentException("identity has no \"service\" field: " + Json.write(map));
        }
        Instant started = Instant.EPOCH;
        if (map.get("started") instanceof String text) {
            try {
                started = Instants.parse(text);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("identity has a bad \"started\" time: " + text, e);
            }
        }
        return new ServiceIdentity(
                s,
                string(map, "version"),
                number(map, "pid"),
                string(map, "user"),
                string(map, "instance"),
                started,
                (int) Math.max(0, Math.min(65535, number(map, "port"))),
                string(map, "name"),
                "busy".equals(map.get("state")) ? State.BUSY : State.IDLE);
    }

    /** Parses the JSON form; see {@link #fromMap}. */
    public static ServiceIdentity fromJson(String json) {
        return fromMap(Json.parseObject(json));
    }

    private static String string(Map<String, Object> map, String key) {
        Object v = map.get(key);
        return v == null ? "" : v.toString();
    }

    private static long number(Map<String, Object> map, String key) {
        return map.get(key) instanceof Number n ? n.longValue() : -1;
    }
}
