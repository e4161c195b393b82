package dev.solo.core;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** What a handler answers: {@code SUCCESS\n<payload>} or {@code ERROR\n<message>}. */
public sealed interface Response {

    /** Success with a payload (may be empty). */
    static Response success(byte[] payload) {
        return new Success(payload);
    }

    /** Success with a UTF-8 text payload. */
    static Response success(String text) {
        return new Success(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Success with no payload. */
    static Response ok() {
        return new Success(new byte[0]);
    }

    /** An error the client shows to its user; say what happened and what to do. */
    static Response error(String message) {
        return new Error(message);
    }

    /** {@code SUCCESS}. */
    record Success(byte[] payload) implements Response {
        public Success {
            Objects.requireNonNull(payload, "payload");
        }
    }

    /** {@code ERROR}. */
    record Error(String message) implements Response {
        public Error {
            Objects.requireNonNull(message, "message");
        }
    }
}
