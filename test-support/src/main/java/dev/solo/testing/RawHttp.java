package dev.solo.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 by hand over a plain socket, so tests see exactly the bytes a service sends (no client
 * library to smooth over a bad status line, a wrong length or a missing {@code Connection: close}),
 * and can send any {@code Host}, {@code Origin} or body. Every exchange has a 10 s deadline per read.
 */
public final class RawHttp {
    private static final int TIMEOUT_MILLIS = 10_000;

    private RawHttp() {}

    /**
     * A parsed answer. Header names are lower case; a repeated header's values are joined by {@code
     * \n}; a chunked body is decoded.
     */
    public record Reply(String statusLine, int status, Map<String, String> headers, String body) {}

    /** {@code GET target} to {@code address:port}. */
    public static Reply get(InetAddress address, int port, String target) throws IOException {
        return exchange(
                address,
                port,
                ("GET " + target + " HTTP/1.1\r\nHost: localhost:" + port + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code POST target} with an empty body and, unless null, this {@code Authorization}. */
    public static Reply post(InetAddress address, int port, String target, String authorization) throws IOException {
        String auth = authorization == null ? "" : "Authorization: " + authorization + "\r\n";
        return exchange(
                address,
                port,
                ("POST " + target + " HTTP/1.1\r\nHost: localhost:" + port + "\r\n" + auth
                                + "Content-Length: 0\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * {@code method path} to 127.0.0.1:{@code port} with {@code Host: 127.0.0.1:port}, {@code Connection:
     * close}, then {@code headers} (a null value removes a default) and, unless null, {@code body} with
     * its {@code Content-Length}.
     */
    public static Reply send(int port, String method, String path, Map<String, String> headers, byte[] body)
            throws IOException {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Host", "127.0.0.1:" + port);
        h.put("Connection", "close");
        h.putAll(headers);
        if (body != null) h.put("Content-Length", Integer.toString(body.length));
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
        h.forEach((k, v) -> {
            if (v != null) head.append(k).append(": ").append(v).append("\r\n");
        });
        head.append("\r\n");
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) request.writeBytes(body);
        return exchange(Loopback.V4, port, request.toByteArray());
    }

    /**
     * Sends {@code request} as it is and reads the answer to the end of the stream. A server that
     * answers (say 413) and closes before reading the whole request is fine: its answer is read.
     */
    public static Reply exchange(InetAddress address, int port, byte[] request) throws IOException {
        try (Socket s = new Socket()) {
            s.setSoTimeout(TIMEOUT_MILLIS);
            s.connect(new InetSocketAddress(address, port), TIMEOUT_MILLIS);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // the server answered and closed before reading everything; read what it said
            }
            return parse(s.getInputStream().readAllBytes());
        }
    }

    private static Reply parse(byte[] all) throws IOException {
        int split = indexOf(all, new byte[] {'\r', '\n', '\r', '\n'}, 0);
        if (split < 0) {
            throw new IOException("no end of headers in " + new String(all, StandardCharsets.ISO_8859_1));
        }
        String[] lines = new String(all, 0, split, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            headers.merge(
                    lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(c + 1).trim(),
                    (a, b) -> a + "\n" + b);
        }
        byte[] body = Arrays.copyOfRange(all, split + 4, all.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) body = unchunk(body);
        String length = headers.get("content-length");
        if (length != null && Integer.parseInt(length) != body.length) {
            throw new IOException("Content-Length " + length + " but " + body.length + " bytes of body: "
                    + new String(all, StandardCharsets.UTF_8));
        }
        return new Reply(lines[0], status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] unchunk(byte[] s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] crlf = {'\r', '\n'};
        int i = 0;
        while (i < s.length) {
            int eol = indexOf(s, crlf, i);
            int len = Integer.parseInt(new String(s, i, eol - i, StandardCharsets.ISO_8859_1).trim(), 16);
            if (len == 0) break;
            out.write(s, eol + 2, len);
            i = eol + 2 + len + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
