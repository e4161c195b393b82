package dev.solo.core;

/**
 * Whether an {@link Outcome} means "run it here instead". The default runs standalone for {@link
 * Outcome.NoResident} and {@link Outcome.ResidentLost} only: a resident that says busy or cancelled
 * is reported, not duplicated.
 */
@FunctionalInterface
public interface FallbackPolicy {

    /** Standalone when nobody answered or the resident vanished mid-request. */
    FallbackPolicy DEFAULT = o -> o instanceof Outcome.NoResident || o instanceof Outcome.ResidentLost;

    /** Never run standalone: report every failure. */
    FallbackPolicy NEVER = o -> false;

    /** Whether to run the request in this process after {@code outcome}. */
    boolean runStandalone(Outcome outcome);
}
