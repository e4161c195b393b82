package dev.solo.cli.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/**
 * The monitor's token-protected API, for commands that found the monitor through a checked proof
 * ({@code SingleInstance.find()} or {@code inspect()}: service, port, user and an HMAC bound to that
 * endpoint). Only then does a request here carry the token; it goes to 127.0.0.1, the address the
 * proof was checked on.
 */
final class MonitorHttp {
    /** What {@code GET /api/status} adds to the identity. */
    record Counts(long streams, long events) {}

    private MonitorHttp() {}

    /** POST /api/shutdown with the token; the status code. */
    static int shutdown(int port, String token) throws IOException {
        HttpURLConnection c = open(port, "/api/shutdown", "POST", token);
        c.getOutputStream().close();
        int code = c.getResponseCode();
        c.disconnect();
        return code;
    }

    /** POST /api/login-code with the token: a one-time code the browser exchanges for a session. */
    static String loginCode(int port, String token) throws IOException {
        HttpURLConnection c = open(port, "/api/login-code", "POST", token);
        c.getOutputStream().close();
        int code = c.getResponseCode();
        if (code != 200) {
            throw new IOException("POST /api/login-code answered " + code + " " + c.getResponseMessage());
        }
        try (InputStream in = c.getInputStream()) {
            String text = new String(in.readNBytes(256), StandardCharsets.US_ASCII).strip();
            if (!text.matches("[A-Za-z0-9_-]{16,128}")) throw new IOException("the login code is malformed");
            return text;
        } finally {
            c.disconnect();
        }
    }

    /** GET /api/status with the token: the stream and event counts. */
    static Counts status(int port, String token) throws IOException {
        HttpURLConnection c = open(port, "/api/status", "GET", token);
        int code = c.getResponseCode();
        if (code != 200) throw new IOException("GET /api/status answered " + code + " " + c.getResponseMessage());
        try (InputStream in = c.getInputStream()) {
            JsonNode json = new ObjectMapper().readTree(in.readNBytes(1 << 20));
            return new Counts(
                    json.path("streams").asLong(-1), json.path("events").asLong(-1));
        } finally {
            c.disconnect();
        }
    }

    private static HttpURLConnection open(int port, String path, String method, String token) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + path).openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(2000);
        c.setReadTimeout(5000);
        c.setUseCaches(false);
        c.setRequestProperty("Authorization", "Bearer " + token);
        if (method.equals("POST")) c.setDoOutput(true);
        return c;
    }
}
