package dev.solo.cli.monitor;

import dev.solo.cli.Version;
import dev.solo.core.PortPolicy;
import dev.solo.core.Protocol;
import dev.solo.core.Registry;
import dev.solo.core.SingleInstance;
import java.nio.file.Path;

/**
 * Which monitor a command means: the default port (8765, or {@value #ENV_PORT}), an explicit {@code
 * --port}, or a named instance: on the port it keeps ({@link NamedPorts}), or on one the OS assigns
 * at its first start. Loads only solo-core classes (the lean start in {@code dev.solo.cli.fast} builds
 * it too).
 *
 * @param port the port; for a named instance the one it keeps, 0 before its first start
 * @param explicit whether the port came from {@code --port}
 * @param name the instance name, or empty
 */
public record Target(int port, boolean explicit, String name, Registry registry) {
    static final String SERVICE = "solo-monitor";
    static final int DEFAULT_PORT = 8765;
    /** Overrides the default port (8765); {@code --port} wins over it. */
    static final String ENV_PORT = "SOLO_MONITOR_PORT";

    /** Resolves the options; throws {@link IllegalArgumentException} with a usage message. */
    public static Target of(Integer port, String name) {
        Registry registry = Registry.forCurrentUser();
        if (name != null) { // an empty --name (an unset variable, say) is a bad name, never the default monitor
            if (port != null)
                throw new IllegalArgumentException("--name and --port cannot be used together. Use --name for a named"
                        + " monitor (it gets a port from the OS), or --port for one on a fixed port.");
            if (!name.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
                throw new IllegalArgumentException("--name must match [a-z0-9][a-z0-9._-]{0,63}, got '" + name + "'.");
            }
            return new Target(NamedPorts.get(registry.home(), name).orElse(0), false, name, registry);
        }
        if (port != null) {
            if (port < 1 || port > 65535)
                throw new IllegalArgumentException("--port must be 1..65535, got " + port + ".");
            return new Target(port, true, "", registry);
        }
        String env = System.getenv(ENV_PORT);
        if (env != null && !env.isBlank()) {
            try {
                int p = Integer.parseInt(env.trim());
                if (p >= 1 && p <= 65535) return new Target(p, false, "", registry);
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new IllegalArgumentException(
                    ENV_PORT + "='" + env + "' is not a port (1..65535). Unset it to use " + DEFAULT_PORT + ".");
        }
        return new Target(DEFAULT_PORT, false, "", registry);
    }

    /** The same named instance without its remembered port: the next start gets a new one from the OS. */
    Target withNewPort() {
        return new Target(0, false, name, registry);
    }

    boolean named() {
        return !name.isEmpty();
    }

    /** The key of this instance's database and log: {@code port-8765} or {@code name-foo}. */
    String key() {
        return named() ? "name-" + name : "port-" + port;
    }

    Path log() {
        return registry.logDir().resolve("monitor-" + key() + ".log");
    }

    public SingleInstance app() {
        return SingleInstance.builder(SERVICE)
                .version(Version.get())
                .protocol(Protocol.HTTP)
                .policy(port == 0 ? PortPolicy.ephemeral() : PortPolicy.fixed(port))
                .name(name)
                .registry(registry)
                .log(log())
                .build();
    }

    /** The command that starts this monitor: {@code solo monitor}, with {@code --port N} or {@code --name N} when given. */
    String startCommand() {
        return "solo monitor" + (named() ? " --name " + name : explicit ? " --port " + port : "");
    }

    /** "port 8765", "instance 'foo' (port 41234)" or, before its first start, "instance 'foo'". */
    public String describe() {
        if (!named()) return "port " + port;
        return "instance '" + name + "'" + (port == 0 ? "" : " (port " + port + ")");
    }
}
