package dev.solo.core;

/** How a resident answers identity probes. */
public enum Protocol {
    /** The solo line protocol: {@code HELLO <nonce>} answers {@code HELLO <json>} (docs/protocol.md). */
    LINE,
    /** An HTTP service: {@code GET /health?nonce=<nonce>} answers the identity as JSON. */
    HTTP;

    /** The registry form: {@code line} or {@code http}. */
    public String wire() {
        return this == LINE ? "line" : "http";
    }

    /** Parses the registry form; unknown text is {@link #LINE}. */
    public static Protocol fromWire(String text) {
        return "http".equals(text) ? HTTP : LINE;
    }
}
