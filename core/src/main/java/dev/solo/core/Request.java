package dev.solo.core;

import java.util.Objects;

/**
 * An authenticated request as the resident's handler sees it.
 *
 * @param verb the verb name, such as {@code STDOUT}
 * @param args the rest of the verb line after the name and one space (for a verb with a body, after
 *     the length); empty when there is none
 * @param body the bytes that followed the verb line; empty for verbs without a body
 * @param cancellation tells the handler that its client has gone (see {@link Cancellation}); {@link
 *     Cancellation#never()} when {@code null}
 */
public record Request(String verb, String args, byte[] body, Cancellation cancellation) {
    public Request {
        Objects.requireNonNull(verb, "verb");
        args = args == null ? "" : args;
        body = body == null ? new byte[0] : body;
        cancellation = cancellation == null ? Cancellation.never() : cancellation;
    }

    /** A request whose client never goes away, as handlers see outside a server. */
    public Request(String verb, String args, byte[] body) {
        this(verb, args, body, Cancellation.never());
    }
}
