package dev.solo.monitor.cost;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Tokens of one or more API calls, as the Messages API reports them in {@code usage}: input (not
 * cached), output, cache reads, and cache writes split by lifetime (5 minutes, 1 hour). A usage
 * without the {@code cache_creation} split (or whose split adds up to less than {@code
 * cache_creation_input_tokens}) counts the rest as 5-minute writes (the default lifetime).
 */
public record Usage(long input, long output, long cacheRead, long cacheWrite5m, long cacheWrite1h) {
    public static final Usage ZERO = new Usage(0, 0, 0, 0, 0);

    /** The {@code usage} object of an assistant message; zero for a missing one. */
    public static Usage of(JsonNode usage) {
        if (usage == null || !usage.isObject()) return ZERO;
        JsonNode split = usage.path("cache_creation");
        long oneHour = split.path("ephemeral_1h_input_tokens").asLong(0);
        long created = Math.max(
                usage.path("cache_creation_input_tokens").asLong(0),
                oneHour + split.path("ephemeral_5m_input_tokens").asLong(0));
        long fiveMin = created - oneHour; // what the split does not put in 1 h is the default 5 min
        return new Usage(
                usage.path("input_tokens").asLong(0),
                usage.path("output_tokens").asLong(0),
                usage.path("cache_read_input_tokens").asLong(0),
                fiveMin,
                oneHour);
    }

    public Usage plus(Usage o) {
        return new Usage(
                input + o.input,
                output + o.output,
                cacheRead + o.cacheRead,
                cacheWrite5m + o.cacheWrite5m,
                cacheWrite1h + o.cacheWrite1h);
    }

    /** What the prompt of the call held: input, cache reads and cache writes. */
    public long prompt() {
        return input + cacheRead + cacheWrite5m + cacheWrite1h;
    }

    public long total() {
        return prompt() + output;
    }
}
