package dev.solo.bench.monitor;

import java.util.Arrays;

/**
 * Durations in nanoseconds, appended by one thread, summarised once the measuring is over. Percentiles
 * are nearest-rank: p99 is the smallest sample that at least 99% of the samples do not exceed.
 */
final class Samples {
    private long[] values = new long[1024];
    private int size;
    private boolean sorted;

    void add(long nanos) {
        if (size == values.length) values = Arrays.copyOf(values, size * 2);
        values[size++] = nanos;
        sorted = false;
    }

    void addAll(Samples other) {
        for (int i = 0; i < other.size; i++) add(other.values[i]);
    }

    int size() {
        return size;
    }

    /** The {@code p}-th percentile (0 < p ≤ 100) in milliseconds; NaN when there are no samples. */
    double percentileMillis(double p) {
        if (size == 0) return Double.NaN;
        if (!sorted) {
            Arrays.sort(values, 0, size);
            sorted = true;
        }
        int rank = (int) Math.ceil(p / 100 * size);
        return values[Math.max(0, Math.min(size - 1, rank - 1))] / 1e6;
    }

    double medianMillis() {
        return percentileMillis(50);
    }

    double minMillis() {
        return size == 0 ? Double.NaN : percentileMillis(100.0 / size);
    }

    double maxMillis() {
        return percentileMillis(100);
    }
}
