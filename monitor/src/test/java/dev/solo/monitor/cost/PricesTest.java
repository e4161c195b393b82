package dev.solo.monitor.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PricesTest {
    final Prices prices = Prices.load();

    @Test
    void theTableIsDatedAndMatchesModelIdsByPrefix() {
        assertThat(prices.date()).matches("\\d{4}-\\d{2}-\\d{2}");
        assertThat(prices.source()).contains("pricing");
        assertThat(prices.of("claude-sonnet-4-5-20250929").orElseThrow().id()).isEqualTo("claude-sonnet-4-5");
        assertThat(prices.of("claude-opus-4-1-20250805").orElseThrow().id()).isEqualTo("claude-opus-4-1");
        assertThat(prices.of("claude-opus-4-20250514").orElseThrow().id()).isEqualTo("claude-opus-4");
        assertThat(prices.of("claude-opus-4-8[1m]").orElseThrow().id()).isEqualTo("claude-opus-4-8");
        assertThat(prices.of("gpt-7")).isEmpty();
        assertThat(prices.of(null)).isEmpty();
    }

    @Test
    void theShippedTableIsReadOnceForEveryThread() throws Exception {
        var pool = Executors.newFixedThreadPool(4);
        try {
            var start = new CountDownLatch(1);
            var asked = new ArrayList<Future<Prices>>();
            for (int i = 0; i < 4; i++) {
                asked.add(pool.submit(() -> {
                    start.await();
                    return Prices.shipped();
                }));
            }
            start.countDown();
            Prices first = asked.get(0).get(10, TimeUnit.SECONDS);
            for (var f : asked) assertThat(f.get(10, TimeUnit.SECONDS)).isSameAs(first);
            assertThat(Prices.shipped()).isSameAs(first);
            assertThat(first.date()).isEqualTo(prices.date());
            assertThat(first.of("claude-opus-4-1-20250805").orElseThrow().id()).isEqualTo("claude-opus-4-1");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void costMatchesClaudeCodesOwnFigure() throws Exception {
        // cost-state of the shared fixture 0411e9a0 (Claude Code 2.1.329): 132 input + 77 output of
        // claude-opus-5-5 cost $0.002068
        Usage u = new Usage(132, 77, 0, 0, 0);
        assertThat(prices.of("claude-opus-5-5").orElseThrow().cost(u)).isCloseTo(0.002068, within(1e-9));
    }

    @Test
    void cacheWritesWithoutASplitCountAsFiveMinutes() throws Exception {
        var json = new ObjectMapper()
                .readTree("{\"input_tokens\":1200,\"cache_creation_input_tokens\":2500,"
                        + "\"cache_read_input_tokens\":0,\"output_tokens\":40,\"cache_creation\":{\"ephemeral_1h_input_tokens\":0,"
                        + "\"ephemeral_5m_input_tokens\":0}}");
        Usage u = Usage.of(json);
        assertThat(u.cacheWrite5m()).isEqualTo(2500);
        assertThat(u.total()).isEqualTo(3740);
    }

    @Test
    void anUnknownModelCountsTokensWithPriceUnknown() {
        Tally t = new Tally();
        t.add(prices, "claude-haiku-4-5", new Usage(1_000_000, 0, 0, 0, 0));
        t.add(prices, "some-new-model", new Usage(10, 5, 0, 0, 0));
        assertThat(t.toMap())
                .containsEntry("usd", 1.0)
                .containsEntry("tokens", 1_000_015L)
                .containsEntry("unpriced_tokens", 15L);
        assertThat(t.toMap().get("price_unknown")).asString().contains("some-new-model");
    }

    @Test
    void haikuFiveFiveChargesLongPromptsMore() {
        var p = prices.of("claude-haiku-5-5").orElseThrow();
        assertThat(p.cost(new Usage(100_000, 0, 0, 0, 0))).isCloseTo(0.01, within(1e-9));
        assertThat(p.cost(new Usage(100_001, 0, 0, 0, 0))).isCloseTo(0.0500005, within(1e-9));
    }
}
