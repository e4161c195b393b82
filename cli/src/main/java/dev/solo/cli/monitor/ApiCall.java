package dev.solo.cli.monitor;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One HTTP/1.0 request to a monitor's API on 127.0.0.1 and its answer, read to the close (or to the
 * {@code Content-Length}). It replaces {@code HttpURLConnection} on the command line's paths, which
 * loads a hundred and more classes (protocol handlers, cookie and proxy machinery) for one local
 * request. Deadlines: connecting {@value #CONNECT_MILLIS} ms, each read {@value #READ_MILLIS} ms.
 *
 * @param status the status code
 * @param reason the reason phrase ("" when the server sent none)
 * @param body the body, at most the limit the caller gave
 */
record ApiCall(int status, String reason, byte[] body) {
    static final int CONNECT_MILLIS = 2000;
    static final int READ_MILLIS = 5000;
    private static final int MAX_HEAD = 16 * 1024;
    private static final InetAddress LOOPBACK = loopback();

    /**
     * Sends {@code method path} with the token as a bearer credential ({@code POST} with an empty body)
     * to the monitor on {@code port} and reads the answer; a body longer than {@code maxBody} is cut.
     *
     * @throws IOException when the monitor cannot be reached, does not answer in time, or answers
     *     something that is not HTTP
     */
    static ApiCall send(int port, String method, String path, String token, int maxBody) throws IOException {
        return send(port, method, path, "127.0.0.1:" + port, token, maxBody);
    }

    /** As {@link #send(int, String, String, String, int)}, with {@code host} as the {@code Host} header. */
    static ApiCall send(int port, String method, String path, String host, String token, int maxBody)
            throws IOException {
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(LOOPBACK, port), CONNECT_MILLIS);
            s.setSoTimeout(READ_MILLIS);
            OutputStream out = s.getOutputStream();
            out.write(request(method, path, host, token));
            out.flush();
            return read(s.getInputStream(), maxBody);
        } catch (SocketTimeoutException e) {
            throw new IOException(
                    method + " " + path + " on port " + port + " got no answer within " + READ_MILLIS + " ms");
        }
    }

    /** The request's bytes: HTTP/1.0, so the answer ends at the close and is never chunked. */
    static byte[] request(String method, String path, String host, String token) {
        StringBuilder b = new StringBuilder(160)
                .append(method)
                .append(' ')
                .append(path)
                .append(" HTTP/1.0\r\nHost: ")
                .append(host)
                .append("\r\nAuthorization: Bearer ")
                .append(token)
                .append("\r\n");
        if (method.equals("POST")) b.append("Content-Length: 0\r\n");
        return b.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads status line, headers and body from {@code in}. */
    static ApiCall read(InputStream in, int maxBody) throws IOException {
        byte[] buf = new byte[4096];
        int n = 0;
        int headEnd = -1;
        while (headEnd < 0) {
            if (n == buf.length) {
                if (n >= MAX_HEAD) throw new IOException("the answer's header is longer than " + MAX_HEAD + " bytes");
                buf = Arrays.copyOf(buf, n * 2);
            }
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) throw new EOFException("the monitor closed the connection before it answered");
            n += r;
            headEnd = headEnd(buf, n);
        }
        String head = new String(buf, 0, headEnd, StandardCharsets.ISO_8859_1);
        int lineEnd = head.indexOf('\r');
        String statusLine = lineEnd < 0 ? head : head.substring(0, lineEnd);
        // "HTTP/1.1 200 OK": the code is the second word, the reason whatever follows it.
        int sp = statusLine.indexOf(' ');
        if (!statusLine.startsWith("HTTP/") || sp < 0 || statusLine.length() < sp + 4) {
            throw new IOException("the answer is not HTTP: " + abbreviate(statusLine));
        }
        int status = 0;
        for (int i = sp + 1; i < sp + 4; i++) {
            char c = statusLine.charAt(i);
            if (c < '0' || c > '9') throw new IOException("the answer is not HTTP: " + abbreviate(statusLine));
            status = status * 10 + (c - '0');
        }
        String reason =
                statusLine.length() > sp + 5 ? statusLine.substring(sp + 5).strip() : "";
        long length = contentLength(head);
        int limit = length >= 0 ? (int) Math.min(length, maxBody) : maxBody;
        byte[] body = new byte[limit];
        int have = Math.min(n - (headEnd + 4), limit);
        System.arraycopy(buf, headEnd + 4, body, 0, have);
        while (have < limit) {
            int r = in.read(body, have, limit - have);
            if (r < 0) break;
            have += r;
        }
        return new ApiCall(status, reason, have == limit ? body : Arrays.copyOf(body, have));
    }

    /** The body as text (UTF-8). */
    String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Where the blank line after the header starts, or -1. */
    private static int headEnd(byte[] b, int n) {
        for (int i = 0; i + 3 < n; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') return i;
        }
        return -1;
    }

    /** The Content-Length header's value, or -1 when there is none (the body ends at the close). */
    private static long contentLength(String head) {
        int at = 0;
        while (true) {
            int nl = head.indexOf('\n', at);
            if (nl < 0) return -1;
            at = nl + 1;
            if (head.regionMatches(true, at, "Content-Length:", 0, 15)) {
                int end = head.indexOf('\r', at);
                String v =
                        head.substring(at + 15, end < 0 ? head.length() : end).strip();
                try {
                    return Long.parseLong(v);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
