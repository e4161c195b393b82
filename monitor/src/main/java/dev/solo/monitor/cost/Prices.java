package dev.solo.monitor.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The dated price table of the repository ({@value #RESOURCE}): for each model id, USD per million
 * tokens of input, output, cache reads and cache writes (5 min, 1 h), with the date and source they
 * were taken from. Never fetched from the network. A model matches the row whose id is the longest
 * prefix of it that ends at a {@code -} or the end ({@code claude-sonnet-4-5-20250929} matches {@code
 * claude-sonnet-4-5}); a {@code [1m]}-style suffix is ignored. Immutable, thread-safe.
 */
public final class Prices {
    static final String RESOURCE = "dev/solo/monitor/cost/prices.json";

    /** One row's rates, USD per million tokens. */
    public record Rate(double input, double output, double cacheRead, double cacheWrite5m, double cacheWrite1h) {
        double cost(Usage u) {
            return (u.input() * input
                            + u.output() * output
                            + u.cacheRead() * cacheRead
                            + u.cacheWrite5m() * cacheWrite5m
                            + u.cacheWrite1h() * cacheWrite1h)
                    / 1_000_000.0;
        }
    }

    /** A model's row; {@code longPrompt} applies to a call whose prompt is over {@code longAbove} tokens. */
    public record Price(String id, Rate rate, long longAbove, Rate longPrompt) {
        /** USD for one call's usage. */
        public double cost(Usage u) {
            return longPrompt != null && u.prompt() > longAbove ? longPrompt.cost(u) : rate.cost(u);
        }
    }

    private final String date;
    private final String source;
    private final List<Price> rows;

    private Prices(String date, String source, List<Price> rows) {
        this.date = date;
        this.source = source;
        this.rows = rows;
    }

    private static volatile Prices shipped;

    /**
     * The table shipped in the jar, read once per process: a start reads it on a warm-up thread while the
     * store opens, and the ledger then takes the same table instead of parsing it again. A thread that
     * asks while another reads it waits for that read. A failed read is not kept: the next call tries again
     * and throws the same error.
     */
    public static Prices shipped() {
        Prices p = shipped;
        if (p != null) return p;
        synchronized (Prices.class) {
            if (shipped == null) shipped = load();
            return shipped;
        }
    }

    /** The table shipped in the jar, read now. */
    public static Prices load() {
        try (InputStream in = Prices.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("the price table " + RESOURCE + " is missing from the jar");
            JsonNode root = new ObjectMapper().readTree(in);
            List<Price> rows = new ArrayList<>();
            for (JsonNode m : root.path("models")) {
                JsonNode lp = m.get("long_prompt");
                rows.add(new Price(
                        m.path("id").asText(),
                        rate(m),
                        lp == null ? Long.MAX_VALUE : lp.path("above_tokens").asLong(),
                        lp == null ? null : rate(lp)));
            }
            rows.sort(Comparator.comparingInt((Price p) -> p.id().length()).reversed());
            return new Prices(root.path("date").asText(), root.path("source").asText(), List.copyOf(rows));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the price table " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    private static Rate rate(JsonNode m) {
        return new Rate(
                m.path("input").asDouble(),
                m.path("output").asDouble(),
                m.path("cache_read").asDouble(),
                m.path("cache_write_5m").asDouble(),
                m.path("cache_write_1h").asDouble());
    }

    /** The date the prices were taken (ISO). */
    public String date() {
        return date;
    }

    public String source() {
        return source;
    }

    /** The row for {@code model}, or empty when the table does not know it. */
    public Optional<Price> of(String model) {
        if (model == null) return Optional.empty();
        String m = model.replaceAll("\\[.*]$", "").trim();
        for (Price p : rows) {
            if (m.equals(p.id()) || (m.startsWith(p.id()) && m.charAt(p.id().length()) == '-')) return Optional.of(p);
        }
        return Optional.empty();
    }
}
