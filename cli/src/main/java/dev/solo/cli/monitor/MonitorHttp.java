package dev.solo.cli.monitor;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small HTTP calls to a verified monitor on 127.0.0.1 (only after its /health proved the token). */
final class MonitorHttp {
    private MonitorHttp() {}

    /** POST /api/shutdown with the token; the status code. */
    static int shutdown(int port, String token) throws IOException {
        HttpURLConnection c =
                (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/api/shutdown").openConnection();
        c.setRequestMethod("POST");
        c.setConnectTimeout(2000);
        c.setReadTimeout(5000);
        c.setRequestProperty("Authorization", "Bearer " + token);
        c.setDoOutput(true);
        c.getOutputStream().close();
        int code = c.getResponseCode();
        c.disconnect();
        return code;
    }

    /** GET /health; the body, or empty on failure. */
    static String health(int port) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/health").openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(2000);
            try (InputStream in = c.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            return "";
        }
    }

    /** A number field of a flat JSON object, or -1. */
    static long number(String json, String field) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*(\\d+)")
                .matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
