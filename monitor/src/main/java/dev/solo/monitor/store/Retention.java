package dev.solo.monitor.store;

import java.time.Duration;
import java.util.Objects;

/**
 * How much history the store keeps. Events older than {@code maxAge} are deleted, and the oldest
 * events are deleted while the live data of the database exceeds {@code maxBytes}. Checked at start
 * and then every {@code checkEvery}.
 */
public record Retention(Duration maxAge, long maxBytes, Duration checkEvery) {
    /** 30 days, 1 GiB, checked every 10 minutes. */
    public static final Retention DEFAULT = new Retention(Duration.ofDays(30), 1L << 30, Duration.ofMinutes(10));

    public Retention {
        Objects.requireNonNull(maxAge, "maxAge");
        Objects.requireNonNull(checkEvery, "checkEvery");
        if (maxAge.isNegative() || maxAge.isZero())
            throw new IllegalArgumentException("maxAge must be > 0, got " + maxAge);
        if (maxBytes < 1 << 20) throw new IllegalArgumentException("maxBytes must be >= 1 MiB, got " + maxBytes);
        if (checkEvery.isNegative() || checkEvery.isZero()) {
            throw new IllegalArgumentException("checkEvery must be > 0, got " + checkEvery);
        }
    }
}
