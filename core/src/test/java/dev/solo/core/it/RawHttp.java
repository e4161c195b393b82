package dev.solo.core.it;

import dev.solo.core.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 by hand over a plain socket, so the tests see exactly the bytes a service sends (no client
 * library to smooth over a bad status line, a wrong length or a missing {@code Connection: close}).
 */
final class RawHttp {
    private static final int TIMEOUT_MILLIS = 10_000;

    private RawHttp() {}

    /** A parsed answer; header names are lower case. */
    record Answer(String statusLine, int status, Map<String, String> headers, String body) {
        Map<String, Object> json() {
            return Json.parseObject(body.trim());
        }
    }

    static Answer get(InetAddress address, int port, String target) throws IOException {
        return exchange(
                address,
                port,
                "GET " + target + " HTTP/1.1\r\nHost: localhost:" + port + "\r\nConnection: close\r\n\r\n");
    }

    static Answer post(InetAddress address, int port, String target, String authorization) throws IOException {
        String auth = authorization == null ? "" : "Authorization: " + authorization + "\r\n";
        return exchange(
                address,
                port,
                "POST " + target + " HTTP/1.1\r\nHost: localhost:" + port + "\r\n" + auth
                        + "Content-Length: 0\r\nConnection: close\r\n\r\n");
    }

    /** Sends {@code request} and reads the answer to the end of the stream. */
    static Answer exchange(InetAddress address, int port, String request) throws IOException {
        try (Socket s = new Socket()) {
            s.setSoTimeout(TIMEOUT_MILLIS);
            s.connect(new InetSocketAddress(address, port), TIMEOUT_MILLIS);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int end = raw.indexOf("\r\n\r\n");
            if (end < 0) throw new IOException("no end of headers in " + raw);
            String[] head = raw.substring(0, end).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                headers.put(
                        head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        head[i].substring(colon + 1).trim());
            }
            String body = raw.substring(end + 4);
            int status = Integer.parseInt(head[0].split(" ")[1]);
            String length = headers.get("content-length");
            if (length != null && Integer.parseInt(length) != body.getBytes(StandardCharsets.UTF_8).length) {
                throw new IOException("Content-Length " + length + " but " + body.length() + " bytes of body: " + raw);
            }
            return new Answer(head[0], status, headers, body);
        }
    }
}
