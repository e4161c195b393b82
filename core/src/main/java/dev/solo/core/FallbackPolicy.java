package dev.solo.core;

/**
 * Whether an {@link Outcome} means "run it here instead". The default runs standalone when the
 * resident did not do the work and will not: {@link Outcome.NoResident}, {@link Outcome.ResidentLost},
 * and a resident that answered {@code shutting down}. A resident that says busy or cancelled is
 * reported, not duplicated.
 */
@FunctionalInterface
public interface FallbackPolicy {

    /** Standalone when nobody answered, the resident vanished mid-request, or it was shutting down. */
    FallbackPolicy DEFAULT = o -> o instanceof Outcome.NoResident
            || o instanceof Outcome.ResidentLost
            || (o instanceof Outcome.ResidentError e && e.shuttingDown());

    /** Never run standalone: report every failure. */
    FallbackPolicy NEVER = o -> false;

    /** Whether to run the request in this process after {@code outcome}. */
    boolean runStandalone(Outcome outcome);
}
