package dev.solo.testing;

/**
 * A test needed something that {@code .ci/run} installs, and it is not there although {@code CI=true}:
 * a broken CI set-up, never a reason to skip quietly.
 */
public final class MissingPrerequisite extends AssertionError {
    private static final long serialVersionUID = 1L;

    public MissingPrerequisite(String message) {
        super(message);
    }
}
