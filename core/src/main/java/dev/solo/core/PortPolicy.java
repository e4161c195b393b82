package dev.solo.core;

import java.util.Map;

/**
 * Which loopback port a resident may take.
 *
 * <ul>
 *   <li>{@link Fixed}: exactly this port, never another one. If something else holds it, the claim
 *       reports it; it never moves to the next port (seed 000).
 *   <li>{@link Range}: the lowest port of the range that no foreign service holds; clients find it by
 *       the registry hint, then by scanning the range (ADR-007).
 *   <li>{@link Ephemeral}: a port the OS assigns, for named instances found through the registry.
 * </ul>
 */
public sealed interface PortPolicy {

    /** Environment variable for the first port of the range (ADR-007). */
    String ENV_START = "SINGLEINSTANCE_PORT_START";
    /** Environment variable for the last port of the range (ADR-007). */
    String ENV_END = "SINGLEINSTANCE_PORT_END";

    /** Exactly {@code port}. */
    static PortPolicy fixed(int port) {
        return new Fixed(port);
    }

    /** The lowest available port of {@code start..end}, both inclusive. */
    static PortPolicy range(int start, int end) {
        return new Range(start, end);
    }

    /** A port the OS assigns. */
    static PortPolicy ephemeral() {
        return new Ephemeral();
    }

    /**
     * The range from {@value #ENV_START} and {@value #ENV_END}, each defaulting independently.
     *
     * @throws ConfigException naming the variable and its value when a value is not a port number or
     *     the range is empty; a bad value is never replaced by the default silently
     */
    static Range rangeFromEnvironment(Map<String, String> env, int defaultStart, int defaultEnd) {
        int start = portFromEnv(env, ENV_START, defaultStart);
        int end = portFromEnv(env, ENV_END, defaultEnd);
        if (end < start) {
            throw new ConfigException(ENV_END + "=" + end + " is below " + ENV_START + "=" + start
                    + ": the port range is empty. Set " + ENV_END + " to a port >= " + start + ".");
        }
        return new Range(start, end);
    }

    private static int portFromEnv(Map<String, String> env, String key, int fallback) {
        String raw = env.get(key);
        if (raw == null || raw.isBlank()) return fallback;
        int port;
        try {
            port = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(
                    key + "='" + raw + "' is not a port number. Set it to a number from 1 to 65535, or unset it"
                            + " to use the default " + fallback + ".");
        }
        if (port < 1 || port > 65535) {
            throw new ConfigException(key + "=" + port + " is outside 1..65535. Set it to a port from 1 to 65535,"
                    + " or unset it to use the default " + fallback + ".");
        }
        return port;
    }

    /** The ports to try, lowest first. */
    int first();

    /** The last port to try; equal to {@link #first()} for a fixed port. */
    int last();

    /** Exactly one port. */
    record Fixed(int port) implements PortPolicy {
        public Fixed {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1..65535, got " + port);
            }
        }

        @Override
        public int first() {
            return port;
        }

        @Override
        public int last() {
            return port;
        }

        @Override
        public String toString() {
            return "port " + port;
        }
    }

    /** The inclusive range {@code start..end}. */
    record Range(int start, int end) implements PortPolicy {
        public Range {
            if (start < 1 || start > 65535) {
                throw new IllegalArgumentException("range start must be 1..65535, got " + start);
            }
            if (end < start || end > 65535) {
                throw new IllegalArgumentException("range end must be " + start + "..65535, got " + end);
            }
        }

        @Override
        public int first() {
            return start;
        }

        @Override
        public int last() {
            return end;
        }

        /** How many ports the range holds. */
        public int size() {
            return end - start + 1;
        }

        @Override
        public String toString() {
            return "ports " + start + "-" + end;
        }
    }

    /** A port the OS assigns at bind time. */
    record Ephemeral() implements PortPolicy {
        @Override
        public int first() {
            return 0;
        }

        @Override
        public int last() {
            return 0;
        }

        @Override
        public String toString() {
            return "an OS-assigned port";
        }
    }
}
