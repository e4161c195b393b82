package dev.solo.bench.monitor;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection to a monitor on 127.0.0.1, as lean as a client can be: the request
 * goes out in one write, the answer is parsed in place. A thin client keeps the client's share of a
 * round trip small, so a latency measured here is a tight upper bound of the server's.
 *
 * <p>Answers with {@code Content-Length} and chunked answers are read; {@link #openStream} returns the
 * decoded body of a streaming answer (Server-Sent Events). Not thread-safe: one connection per thread.
 */
final class HttpConn implements AutoCloseable {
    /** A complete answer. */
    record Answer(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final Input in;
    private final OutputStream out;
    private final byte[] head;

    /** Connects; every request carries {@code Authorization: Bearer token}. */
    HttpConn(int port, String token) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        socket.setSoTimeout(60_000);
        in = new Input(socket.getInputStream());
        out = socket.getOutputStream();
        head = (" HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + token + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code POST path} with a JSON body; the connection stays open for the next request. */
    Answer post(String path, byte[] body) throws IOException {
        byte[] extra = ("Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] start = ("POST " + path).getBytes(StandardCharsets.US_ASCII);
        byte[] req = new byte[start.length + head.length + extra.length + body.length];
        int n = copy(start, req, 0);
        n = copy(head, req, n);
        n = copy(extra, req, n);
        copy(body, req, n);
        out.write(req);
        return answer();
    }

    /** {@code GET pathAndQuery}. */
    Answer get(String pathAndQuery) throws IOException {
        sendGet(pathAndQuery, "");
        return answer();
    }

    /**
     * {@code GET pathAndQuery} whose answer does not end (Server-Sent Events): checks the status and
     * returns the decoded body as lines.
     */
    Input openStream(String pathAndQuery) throws IOException {
        sendGet(pathAndQuery, "Accept: text/event-stream\r\n");
        Head h = head();
        if (h.status != 200) throw new IOException("GET " + pathAndQuery + " answered " + h.status);
        return h.chunked ? new Input(new Chunked(in)) : in;
    }

    private void sendGet(String pathAndQuery, String headers) throws IOException {
        byte[] start = ("GET " + pathAndQuery).getBytes(StandardCharsets.US_ASCII);
        byte[] end = (headers + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] req = new byte[start.length + head.length + end.length];
        copy(end, req, copy(head, req, copy(start, req, 0)));
        out.write(req);
    }

    private record Head(int status, long length, boolean chunked) {}

    private Head head() throws IOException {
        String status = in.readLine();
        if (status == null) throw new EOFException("the monitor closed the connection before answering");
        long length = -1;
        boolean chunked = false;
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:"))
                length = Long.parseLong(lower.substring(15).trim());
            if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
        }
        return new Head(Integer.parseInt(status.substring(9, 12)), length, chunked);
    }

    private Answer answer() throws IOException {
        Head h = head();
        if (h.chunked) return new Answer(h.status, new Chunked(in).readAllBytes());
        return new Answer(h.status, in.readN((int) Math.max(0, h.length)));
    }

    private static int copy(byte[] from, byte[] to, int at) {
        System.arraycopy(from, 0, to, at, from.length);
        return at + from.length;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** A buffered byte source with line reading (ISO-8859-1 lines, CR LF or LF). */
    static final class Input extends InputStream {
        private final InputStream src;
        private final byte[] buf = new byte[16 * 1024];
        private int pos;
        private int lim;

        Input(InputStream src) {
            this.src = src;
        }

        /** The next line without its end, or null at the end of the stream. */
        String readLine() throws IOException {
            StringBuilder b = null;
            while (true) {
                if (pos == lim && !fill()) return b == null ? null : b.toString();
                int start = pos;
                while (pos < lim && buf[pos] != '\n') pos++;
                int end = pos;
                boolean found = pos < lim;
                if (found) pos++;
                if (b == null && found) return trimCr(new String(buf, start, end - start, StandardCharsets.ISO_8859_1));
                if (b == null) b = new StringBuilder();
                b.append(new String(buf, start, end - start, StandardCharsets.ISO_8859_1));
                if (found) return trimCr(b.toString());
            }
        }

        byte[] readN(int n) throws IOException {
            byte[] out = new byte[n];
            int got = 0;
            while (got < n) {
                int r = read(out, got, n - got);
                if (r < 0) throw new EOFException("the body ended after " + got + " of " + n + " bytes");
                got += r;
            }
            return out;
        }

        @Override
        public int read() throws IOException {
            if (pos == lim && !fill()) return -1;
            return buf[pos++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            if (pos == lim && !fill()) return -1;
            int n = Math.min(len, lim - pos);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            return n;
        }

        private boolean fill() throws IOException {
            int n = src.read(buf, 0, buf.length);
            if (n <= 0) return false;
            pos = 0;
            lim = n;
            return true;
        }

        private static String trimCr(String s) {
            return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
        }
    }

    /** The decoded body of a chunked answer; ends after the last (empty) chunk and its trailers. */
    private static final class Chunked extends InputStream {
        private final Input in;
        private long left;
        private boolean inChunk;
        private boolean done;

        Chunked(Input in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) return -1;
            if (left == 0) {
                if (inChunk) in.readLine(); // the CR LF after a chunk's data
                String size = in.readLine();
                if (size == null) throw new EOFException("the chunked body ended without its last chunk");
                int semi = size.indexOf(';');
                left = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                inChunk = true;
                if (left == 0) {
                    for (String t = in.readLine(); t != null && !t.isEmpty(); t = in.readLine()) {
                        // trailers: none expected
                    }
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) throw new EOFException("the chunked body ended inside a chunk");
            left -= n;
            return n;
        }
    }
}
