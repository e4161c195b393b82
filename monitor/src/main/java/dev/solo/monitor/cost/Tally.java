package dev.solo.monitor.cost;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Tokens and cost added up over calls: the usage, the USD of the calls whose model has a price, and
 * the models that have none (their tokens count, their cost is unknown). Not thread-safe.
 */
public final class Tally {
    private Usage usage = Usage.ZERO;
    private double usd;
    private long calls;
    private long unpricedTokens;
    private final Set<String> unknownModels = new TreeSet<>();

    /** Adds one API call of {@code model}. */
    public void add(Prices prices, String model, Usage u) {
        usage = usage.plus(u);
        calls++;
        var price = prices.of(model);
        if (price.isPresent()) {
            usd += price.get().cost(u);
        } else {
            unpricedTokens += u.total();
            unknownModels.add(model == null ? "(no model)" : model);
        }
    }

    public void add(Tally o) {
        usage = usage.plus(o.usage);
        usd += o.usd;
        calls += o.calls;
        unpricedTokens += o.unpricedTokens;
        unknownModels.addAll(o.unknownModels);
    }

    public Usage usage() {
        return usage;
    }

    public double usd() {
        return usd;
    }

    /**
     * {@code {input, output, cache_read, cache_write, tokens, calls, usd, price_unknown:[models],
     * unpriced_tokens}}; {@code usd} counts only priced calls.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("input", usage.input());
        m.put("output", usage.output());
        m.put("cache_read", usage.cacheRead());
        m.put("cache_write", usage.cacheWrite5m() + usage.cacheWrite1h());
        m.put("tokens", usage.total());
        m.put("calls", calls);
        m.put("usd", Math.round(usd * 1_000_000) / 1_000_000.0);
        m.put("price_unknown", unknownModels.isEmpty() ? null : unknownModels);
        m.put("unpriced_tokens", unpricedTokens);
        return m;
    }
}
