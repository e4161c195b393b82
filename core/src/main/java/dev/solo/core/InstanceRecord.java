package dev.solo.core;

import dev.solo.core.internal.Instants;
import dev.solo.core.internal.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One registry entry: a resident said it started here. Records are hints; every reader verifies them
 * with a probe ({@link Registry#live()}) before trusting them.
 *
 * @param log the resident's log file, or {@code null}
 */
public record InstanceRecord(
        String service,
        String name,
        int port,
        long pid,
        Instant started,
        String instance,
        String user,
        String version,
        Protocol protocol,
        Path log) {

    public InstanceRecord {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(protocol, "protocol");
        name = name == null ? "" : name;
        user = user == null ? "" : user;
        version = version == null ? "" : version;
    }

    /** The record of a resident with this identity. */
    public static InstanceRecord of(ServiceIdentity id, Protocol protocol, Path log) {
        return new InstanceRecord(
                id.service(),
                id.name(),
                id.port(),
                id.pid(),
                id.started(),
                id.instance(),
                id.user(),
                id.version(),
                protocol,
                log);
    }

    String toJson() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("service", service);
        // the log early: a record cut short still names it ({@link DamagedRecord#log()})
        map.put("log", log == null ? null : log.toString());
        map.put("name", name);
        map.put("port", port);
        map.put("pid", pid);
        map.put("started", started.toString());
        map.put("instance", instance);
        map.put("user", user);
        map.put("version", version);
        map.put("protocol", protocol.wire());
        return Json.write(map);
    }

    static InstanceRecord fromJson(String json) {
        Map<String, Object> map = Json.parseObject(json);
        Object log = map.get("log");
        return new InstanceRecord(
                (String) require(map, "service"),
                (String) map.get("name"),
                ((Number) require(map, "port")).intValue(),
                ((Number) require(map, "pid")).longValue(),
                Instants.parse((String) require(map, "started")),
                (String) require(map, "instance"),
                (String) map.get("user"),
                (String) map.get("version"),
                Protocol.fromWire((String) map.get("protocol")),
                log instanceof String s ? Path.of(s) : null);
    }

    private static Object require(Map<String, Object> map, String key) {
        Object v = map.get(key);
        if (v == null) throw new IllegalArgumentException("registry record has no \"" + key + "\"");
        return v;
    }
}
