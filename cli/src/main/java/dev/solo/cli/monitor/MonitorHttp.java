package dev.solo.cli.monitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The monitor's token-protected API, for commands that found the monitor through a checked proof
 * ({@code SingleInstance.find()} or {@code inspect()}: service, port, user and an HMAC bound to that
 * endpoint). Only then does a request here carry the token; it goes to 127.0.0.1, the address the
 * proof was checked on; or to the monitor's same-user socket when it was found there ({@link
 * LocalMonitor}). Plain sockets ({@link ApiCall}) and a small reader for the one JSON answer:
 * {@code solo monitor status} loads neither {@code HttpURLConnection} nor Jackson.
 */
final class MonitorHttp {
    /** What {@code GET /api/status} adds to the identity. */
    record Counts(long streams, long events) {
        /** {@code "1 stream, 5 events"}: the counts as {@code solo monitor status} prints them. */
        String describe() {
            return streams
                    + (streams == 1 ? " stream, " : " streams, ")
                    + events
                    + (events == 1 ? " event" : " events");
        }
    }

    private MonitorHttp() {}

    /**
     * POST /api/shutdown with the token; the status code. On {@code socket} when the monitor was found
     * there ({@link LocalMonitor}), else on TCP {@code port} (found with the proof).
     */
    static int shutdown(int port, Path socket, String token) throws IOException {
        return send(port, socket, "POST", "/api/shutdown", token, 4096).status();
    }

    /** POST /api/login-code with the token: a one-time code the browser exchanges for a session. */
    static String loginCode(int port, Path socket, String token) throws IOException {
        ApiCall a = send(port, socket, "POST", "/api/login-code", token, 256);
        if (a.status() != 200) {
            throw new IOException("POST /api/login-code answered " + a.status() + " " + a.reason());
        }
        String text = new String(a.body(), StandardCharsets.US_ASCII).strip();
        if (!wellFormedCode(text)) throw new IOException("the login code is malformed");
        return text;
    }

    /** GET /api/status with the token: the stream and event counts. */
    static Counts status(int port, String token) throws IOException {
        ApiCall a = ApiCall.send(port, "GET", "/api/status", token, 1 << 20);
        if (a.status() != 200) throw new IOException("GET /api/status answered " + a.status() + " " + a.reason());
        return counts(a.text());
    }

    /** The request on the socket the monitor was found on, else on its proven TCP port; never both. */
    private static ApiCall send(int port, Path socket, String method, String path, String token, int max)
            throws IOException {
        if (socket == null) return ApiCall.send(port, method, path, token, max);
        ApiCall a = LocalMonitor.send(socket, method, path, token, max);
        if (a == null) throw new IOException(method + " " + path + " got no answer on the monitor's socket " + socket);
        return a;
    }

    /** 16-128 characters of {@code [A-Za-z0-9_-]}. */
    static boolean wellFormedCode(String text) {
        if (text.length() < 16 || text.length() > 128) return false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok =
                    (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
            if (!ok) return false;
        }
        return true;
    }

    /**
     * The top-level {@code streams} and {@code events} numbers of a JSON object; -1 for one that is
     * missing or not a whole number.
     *
     * @throws IOException when the text is not a JSON object
     */
    static Counts counts(String json) throws IOException {
        FlatJson j = new FlatJson(json);
        long streams = -1;
        long events = -1;
        j.expect('{');
        if (!j.take('}')) {
            do {
                String key = j.string();
                j.expect(':');
                if (key.equals("streams")) {
                    streams = j.wholeNumberOrSkip();
                } else if (key.equals("events")) {
                    events = j.wholeNumberOrSkip();
                } else {
                    j.skipValue();
                }
            } while (j.take(','));
            j.expect('}');
        }
        return new Counts(streams, events);
    }
}
