package dev.solo.monitor.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.jetty.io.Content;

/** A small JSON object in a request body (the dashboard's settings and answers); empty body: {}. */
final class JsonBody {
    static final int MAX = 64 * 1024;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonBody() {}

    /**
     * The body as a JSON object.
     *
     * @throws IllegalArgumentException (a 400 with this message) when it is not one, or over {@value #MAX} bytes
     */
    static JsonNode read(Exchange x) {
        byte[] bytes;
        try (InputStream in = Content.Source.asInputStream(x.request)) {
            bytes = in.readNBytes(MAX + 1);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the request body: " + e.getMessage());
        }
        if (bytes.length > MAX) throw new IllegalArgumentException("the body is over " + MAX + " bytes");
        if (bytes.length == 0) return MAPPER.createObjectNode();
        try {
            JsonNode n = MAPPER.readTree(bytes);
            if (n == null || !n.isObject()) throw new IllegalArgumentException("send one JSON object");
            return n;
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "malformed JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
