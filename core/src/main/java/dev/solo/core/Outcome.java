package dev.solo.core;

import dev.solo.core.internal.LineCodec;
import java.nio.charset.StandardCharsets;

/**
 * What became of an attempt to hand a request to the resident ({@link SingleInstance#tryRunOnce}).
 *
 * <ul>
 *   <li>{@link Delegated}: the resident did it and answered {@code SUCCESS}.
 *   <li>{@link NoResident}: nobody of ours, of this user, answers: nothing was sent.
 *   <li>{@link ResidentError}: the resident answered {@code ERROR} (busy, cancelled, failed): it was
 *       there and said no, so running it again here would duplicate it.
 *   <li>{@link ResidentLost}: the connection broke or timed out after the request was sent.
 * </ul>
 */
public sealed interface Outcome {

    /** A one-line account for logs and error output. */
    String message();

    /** The resident answered {@code SUCCESS}. */
    record Delegated(ServiceIdentity resident, byte[] payload) implements Outcome {
        /** The payload as UTF-8 text. */
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        @Override
        public String message() {
            return "done by " + resident.service() + " (pid " + resident.pid() + ") on port " + resident.port();
        }
    }

    /** No resident of this service and user answers; {@code why} says what was looked at. */
    record NoResident(String why) implements Outcome {
        @Override
        public String message() {
            return why;
        }
    }

    /** The resident answered {@code ERROR}. */
    record ResidentError(ServiceIdentity resident, String error) implements Outcome {
        /** Whether the resident said it is busy with another request. */
        public boolean busy() {
            return error.equals(LineCodec.BUSY_MESSAGE);
        }

        /** Whether the resident was stopping and did not do the work. */
        public boolean shuttingDown() {
            return error.equals(LineCodec.SHUTTING_DOWN_MESSAGE);
        }

        @Override
        public String message() {
            return resident.service() + " on port " + resident.port() + " answered: " + error;
        }
    }

    /** The resident stopped answering after it got the request. */
    record ResidentLost(ServiceIdentity resident, Exception cause) implements Outcome {
        @Override
        public String message() {
            return resident.service() + " (pid " + resident.pid() + ") on port " + resident.port()
                    + " dropped the request: " + cause.getMessage();
        }
    }
}
