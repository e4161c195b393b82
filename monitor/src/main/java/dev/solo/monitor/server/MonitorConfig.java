package dev.solo.monitor.server;

import dev.solo.core.Registry;
import dev.solo.monitor.ingest.Ingest;
import dev.solo.monitor.store.Retention;
import dev.solo.monitor.transcript.ClaudeHome;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Every knob of a monitor server, with its default.
 *
 * @param registry the per-user registry: token, state directory
 * @param extraHosts host names allowed besides localhost, 127.0.0.1 and [::1] (from {@code --host})
 * @param database the SQLite file; default {@code <state dir>/monitor/<instance key>.db}
 * @param retention how much history to keep; default {@link Retention#DEFAULT} (30 days, 1 GiB)
 * @param maxBody the largest request body in bytes; default 8 MiB (larger: 413)
 * @param bodyTimeout how long a request body may take to arrive; default 10 s (slower: 408)
 * @param trimAbove string fields longer than this many characters are trimmed; default 64 Ki
 * @param trimKeep how many characters a trimmed field keeps; default 4 Ki
 * @param heartbeat how often an idle live feed sends a comment line; default 15 s
 * @param maxLiveClients the most concurrent live-feed clients; default 256 (more: 503)
 * @param ringSize how many recent events the live feed keeps in memory; default 16384
 * @param claudeHome the user's Claude Code config directory, the only place transcripts are read from;
 *     default {@code $CLAUDE_CONFIG_DIR}, else {@code $HOME/.claude}
 */
public record MonitorConfig(
        Registry registry,
        Set<String> extraHosts,
        Path database,
        Retention retention,
        int maxBody,
        Duration bodyTimeout,
        int trimAbove,
        int trimKeep,
        Duration heartbeat,
        int maxLiveClients,
        int ringSize,
        Clock clock,
        ClaudeHome claudeHome) {
    public static final int DEFAULT_MAX_BODY = 8 * 1024 * 1024;
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(10);

    public MonitorConfig {
        Objects.requireNonNull(registry, "registry");
        extraHosts = Set.copyOf(extraHosts);
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(bodyTimeout, "bodyTimeout");
        if (bodyTimeout.isNegative() || bodyTimeout.isZero())
            throw new IllegalArgumentException("bodyTimeout must be > 0, got " + bodyTimeout);
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(claudeHome, "claudeHome");
        if (maxBody < 1024) throw new IllegalArgumentException("maxBody must be >= 1024, got " + maxBody);
        if (maxLiveClients < 1)
            throw new IllegalArgumentException("maxLiveClients must be >= 1, got " + maxLiveClients);
        if (ringSize < 1) throw new IllegalArgumentException("ringSize must be >= 1, got " + ringSize);
    }

    /**
     * The defaults for the instance {@code key} ({@code port-8765} or {@code name-foo}); the database
     * lives in {@code <state dir>/monitor/<key>.db}.
     */
    public static MonitorConfig defaults(Registry registry, String key) {
        return new MonitorConfig(
                registry,
                Set.of(),
                databaseOf(registry, key),
                Retention.DEFAULT,
                DEFAULT_MAX_BODY,
                DEFAULT_BODY_TIMEOUT,
                Ingest.DEFAULT_TRIM_ABOVE,
                Ingest.DEFAULT_TRIM_KEEP,
                Duration.ofSeconds(15),
                256,
                16384,
                Clock.systemUTC(),
                ClaudeHome.fromEnvironment(System.getenv()));
    }

    /** Where the database of instance {@code key} lives. */
    public static Path databaseOf(Registry registry, String key) {
        return registry.home().resolve("monitor").resolve(key + ".db");
    }

    public MonitorConfig withExtraHosts(Set<String> hosts) {
        return with(d -> d.extraHosts = hosts);
    }

    public MonitorConfig withDatabase(Path file) {
        return with(d -> d.database = file);
    }

    public MonitorConfig withHeartbeat(Duration every) {
        return with(d -> d.heartbeat = every);
    }

    public MonitorConfig withRingSize(int size) {
        return with(d -> d.ringSize = size);
    }

    public MonitorConfig withTrim(int above, int keep) {
        return with(d -> {
            d.trimAbove = above;
            d.trimKeep = keep;
        });
    }

    public MonitorConfig withClaudeHome(ClaudeHome home) {
        return with(d -> d.claudeHome = home);
    }

    public MonitorConfig withBodyTimeout(Duration timeout) {
        return with(d -> d.bodyTimeout = timeout);
    }

    /** Where the permission-answer settings of this instance are kept: next to its database. */
    public Path permissionSettings() {
        String name = database.getFileName().toString().replaceAll("\\.db$", "");
        return database.resolveSibling(name + ".permissions.json");
    }

    /** A copy with {@code change} applied; the constructor validates the result. */
    private MonitorConfig with(Consumer<Draft> change) {
        Draft d = new Draft(this);
        change.accept(d);
        return d.build();
    }

    /** The components as fields, so that each {@code with} method names only the one it changes. */
    private static final class Draft {
        Registry registry;
        Set<String> extraHosts;
        Path database;
        Retention retention;
        int maxBody;
        Duration bodyTimeout;
        int trimAbove;
        int trimKeep;
        Duration heartbeat;
        int maxLiveClients;
        int ringSize;
        Clock clock;
        ClaudeHome claudeHome;

        Draft(MonitorConfig c) {
            registry = c.registry;
            extraHosts = c.extraHosts;
            database = c.database;
            retention = c.retention;
            maxBody = c.maxBody;
            bodyTimeout = c.bodyTimeout;
            trimAbove = c.trimAbove;
            trimKeep = c.trimKeep;
            heartbeat = c.heartbeat;
            maxLiveClients = c.maxLiveClients;
            ringSize = c.ringSize;
            clock = c.clock;
            claudeHome = c.claudeHome;
        }

        MonitorConfig build() {
            return new MonitorConfig(
                    registry,
                    extraHosts,
                    database,
                    retention,
                    maxBody,
                    bodyTimeout,
                    trimAbove,
                    trimKeep,
                    heartbeat,
                    maxLiveClients,
                    ringSize,
                    clock,
                    claudeHome);
        }
    }
}
