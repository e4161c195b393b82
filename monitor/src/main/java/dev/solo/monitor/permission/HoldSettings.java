package dev.solo.monitor.permission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether the monitor answers permission prompts from the page: for every stream ({@code all}) or for
 * the listed {@code streams}; off by default. {@code timeout}: how long a prompt is held for an answer
 * before the terminal asks as usual; {@value #DEFAULT_SECONDS} s by default, {@value #MIN_SECONDS} to
 * {@value #MAX_SECONDS} s (the hook's own timeout, written by {@code hooks install}, is longer).
 */
public record HoldSettings(boolean all, Set<String> streams, Duration timeout) {
    public static final int DEFAULT_SECONDS = 60;
    public static final int MIN_SECONDS = 5;
    public static final int MAX_SECONDS = 120;
    public static final HoldSettings OFF = new HoldSettings(false, Set.of(), Duration.ofSeconds(DEFAULT_SECONDS));
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public HoldSettings {
        streams = Set.copyOf(streams);
        long s = timeout.toSeconds();
        if (s < MIN_SECONDS || s > MAX_SECONDS) {
            throw new IllegalArgumentException(
                    "timeout_seconds must be " + MIN_SECONDS + ".." + MAX_SECONDS + ", got " + s);
        }
    }

    public boolean holds(String stream) {
        return all || streams.contains(stream);
    }

    /**
     * These settings changed by {@code body} ({@code {"all": bool, "streams": [ids], "stream": id,
     * "enabled": bool, "timeout_seconds": n}}, every field optional; {@code streams} replaces the list,
     * {@code stream} with {@code enabled} turns one on or off).
     *
     * @throws IllegalArgumentException with what is wrong, when a field has the wrong type or range
     */
    public HoldSettings with(JsonNode body) {
        if (body == null || !body.isObject()) throw new IllegalArgumentException("send the settings as a JSON object");
        boolean a = all;
        Set<String> s = new TreeSet<>(streams);
        Duration t = timeout;
        if (body.has("all")) {
            if (!body.get("all").isBoolean()) throw new IllegalArgumentException("\"all\" must be true or false");
            a = body.get("all").asBoolean();
        }
        if (body.has("streams")) {
            if (!body.get("streams").isArray())
                throw new IllegalArgumentException("\"streams\" must be a list of stream ids");
            s.clear();
            body.get("streams").forEach(n -> s.add(n.asText()));
        }
        if (body.has("stream")) {
            String id = body.get("stream").asText("");
            if (id.isBlank() || id.length() > 200) throw new IllegalArgumentException("\"stream\" must be a stream id");
            JsonNode on = body.get("enabled");
            if (on == null || !on.isBoolean()) {
                throw new IllegalArgumentException("with \"stream\", send \"enabled\": true or false");
            }
            if (on.asBoolean()) s.add(id);
            else s.remove(id);
        }
        if (body.has("timeout_seconds")) {
            JsonNode n = body.get("timeout_seconds");
            if (!n.canConvertToLong()) throw new IllegalArgumentException("\"timeout_seconds\" must be a whole number");
            t = Duration.ofSeconds(n.asLong());
        }
        return new HoldSettings(a, s, t);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("all", all);
        m.put("streams", new TreeSet<>(streams));
        m.put("timeout_seconds", timeout.toSeconds());
        m.put("min_seconds", MIN_SECONDS);
        m.put("max_seconds", MAX_SECONDS);
        return m;
    }

    /** The settings in {@code file}, or {@link #OFF} when it is missing or unreadable (said on stderr). */
    static HoldSettings load(Path file) {
        if (file == null || !Files.exists(file)) return OFF;
        try {
            return OFF.with(MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("solo-monitor: ignoring the permission settings in " + file + " (" + e.getMessage()
                    + "); answering from the page is off until it is set again");
            return OFF;
        }
    }

    /** Writes these settings to {@code file} atomically. */
    void save(Path file) throws IOException {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("all", all);
        streams.stream().sorted().forEach(o.putArray("streams")::add);
        o.put("timeout_seconds", timeout.toSeconds());
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".permissions-", ".tmp");
        try {
            Files.writeString(
                    tmp, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(o), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
