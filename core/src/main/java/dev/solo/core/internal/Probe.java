package dev.solo.core.internal;

import dev.solo.core.Protocol;
import dev.solo.core.ServiceIdentity;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Asks whoever listens on an address who it is: {@code HELLO <nonce>} on the line protocol, or {@code GET
 * /health?nonce=} over HTTP. The answer is one of four kinds, and only {@link Answered} carries an
 * identity. A probe never sends the token.
 */
public final class Probe {
    private Probe() {}

    /** The outcome of one probe. */
    public sealed interface Result {}

    /**
     * The holder answered with an identity. For the line protocol {@code session} is the still-open
     * connection, on which the client may go on with {@code AUTH}; the caller must close it.
     */
    public record Answered(ServiceIdentity identity, String proof, Session session) implements Result {}

    /** The holder answered, but not as a solo service; {@code description} says what it did. */
    public record Foreign(String description) implements Result {}

    /** The holder accepted the connection and said nothing within the timeout. */
    public record Silent(int waitedMillis) implements Result {}

    /** Nobody listens (any more): the connection was refused. */
    public record Refused() implements Result {}

    /** An open connection after a {@code HELLO}; reading and writing go on with the same timeout. */
    public static final class Session implements Closeable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Session(Socket socket, InputStream in, OutputStream out) {
            this.socket = socket;
            this.in = in;
            this.out = out;
        }

        public Socket socket() {
            return socket;
        }

        public InputStream in() {
            return in;
        }

        public OutputStream out() {
            return out;
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a socket we are done with
            }
        }
    }

    /** Probes with the given protocol; an HTTP session is closed before this returns. */
    public static Result probe(Protocol protocol, InetSocketAddress address, String nonce, int timeoutMillis) {
        return protocol == Protocol.HTTP
                ? health(address, nonce, timeoutMillis)
                : hello(address, nonce, timeoutMillis, false);
    }

    /**
     * {@code HELLO <nonce>} on the line protocol.
     *
     * @param keepOpen whether an {@link Answered} result keeps its connection open for {@code AUTH}
     */
    public static Result hello(InetSocketAddress address, String nonce, int timeoutMillis, boolean keepOpen) {
        Socket socket = new Socket();
        boolean handedOver = false;
        try {
            Result connectFailure = connect(socket, address, timeoutMillis);
            if (connectFailure != null) return connectFailure;
            // The HELLO line is a few hundred bytes; a larger answer after AUTH is read past the buffer.
            InputStream in = new BufferedInputStream(socket.getInputStream(), 1024);
            OutputStream out = socket.getOutputStream();
            out.write((LineCodec.HELLO + " " + nonce + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String line = LineCodec.readLine(in, LineCodec.MAX_LINE);
            if (line == null) return new Foreign("accepted the connection and closed it without answering HELLO");
            if (!line.startsWith(LineCodec.HELLO + " ")) {
                return new Foreign("answered " + LineCodec.abbreviate(line) + " to HELLO; not a solo service");
            }
            Map<String, Object> map;
            ServiceIdentity identity;
            try {
                map = Json.parseObject(line.substring(LineCodec.HELLO.length() + 1));
                identity = ServiceIdentity.fromMap(map);
            } catch (IllegalArgumentException e) {
                return new Foreign("answered HELLO with an identity that does not parse: " + e.getMessage());
            }
            Object proof = map.get("proof");
            Session session = null;
            if (keepOpen) {
                session = new Session(socket, in, out);
                handedOver = true;
            }
            return new Answered(identity, proof instanceof String p ? p : null, session);
        } catch (SocketTimeoutException e) {
            return new Silent(timeoutMillis);
        } catch (LineCodec.LineTooLongException e) {
            return new Foreign("answered HELLO with a line longer than " + LineCodec.MAX_LINE + " bytes");
        } catch (LineCodec.MalformedLineException e) {
            return new Foreign("answered HELLO with bytes that are not a text line (" + e.getMessage() + ")");
        } catch (IOException e) {
            return new Foreign("broke the connection during HELLO (" + e.getMessage() + ")");
        } finally {
            if (!handedOver) closeQuietly(socket);
        }
    }

    /** {@code GET /health?nonce=} over HTTP/1.1 with {@code Connection: close}. */
    public static Result health(InetSocketAddress address, String nonce, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            Result connectFailure = connect(socket, address, timeoutMillis);
            if (connectFailure != null) return connectFailure;
            String host = Platform.hostPort(address.getAddress(), address.getPort());
            String request = "GET /health?nonce=" + nonce + " HTTP/1.1\r\nHost: " + host
                    + "\r\nUser-Agent: solo-probe\r\nAccept: application/json\r\nConnection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
            String status = LineCodec.readLine(in, LineCodec.MAX_LINE);
            if (status == null) return new Foreign("accepted the connection and closed it without answering HTTP");
            if (!status.startsWith("HTTP/1.")) {
                return new Foreign("answered " + LineCodec.abbreviate(status) + " to an HTTP request; not HTTP");
            }
            String[] parts = status.split(" ", 3);
            int code = parts.length > 1 ? parseInt(parts[1], -1) : -1;
            int length = -1;
            String server = "";
            String line;
            while ((line = LineCodec.readLine(in, LineCodec.MAX_LINE)) != null && !line.isEmpty()) {
                int colon = line.indexOf(':');
                if (colon < 0) continue;
                String key = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim();
                if (key.equals("content-length")) length = parseInt(value, -1);
                if (key.equals("server")) server = " (Server: " + LineCodec.abbreviate(value) + ")";
            }
            if (code != 200) {
                return new Foreign("is an HTTP server" + server + " that answered " + code + " to GET /health");
            }
            int cap = 64 * 1024;
            byte[] body =
                    length >= 0 && length <= cap ? LineCodec.readExactly(in, length) : LineCodec.readPayload(in, cap);
            String json = new String(body, StandardCharsets.UTF_8);
            try {
                Map<String, Object> map = Json.parseObject(json.trim());
                ServiceIdentity identity = ServiceIdentity.fromMap(map);
                Object proof = map.get("proof");
                return new Answered(identity, proof instanceof String p ? p : null, null);
            } catch (IllegalArgumentException e) {
                return new Foreign("is an HTTP server" + server + " that answered /health without a solo identity ("
                        + e.getMessage() + ")");
            }
        } catch (SocketTimeoutException e) {
            return new Silent(timeoutMillis);
        } catch (IOException e) {
            return new Foreign("broke the connection during GET /health (" + e.getMessage() + ")");
        }
    }

    private static Result connect(Socket socket, InetSocketAddress address, int timeoutMillis) throws IOException {
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(timeoutMillis);
        try {
            socket.connect(address, timeoutMillis);
            return null;
        } catch (ConnectException e) {
            return new Refused();
        } catch (SocketTimeoutException e) {
            return new Silent(timeoutMillis);
        }
    }

    private static int parseInt(String s, int fallback) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do: the socket is abandoned
        }
    }
}
