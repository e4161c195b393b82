package dev.solo.core.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A client that speaks raw bytes to a port, as ADR-007 clients, {@code nc} or a browser would: no
 * codec of ours in between, so tests see exactly what the resident writes.
 */
public final class RawClient implements AutoCloseable {
    /** How long any read waits before the test fails; generous for a loaded CI machine. */
    public static final Duration READ_LIMIT = Duration.ofSeconds(15);

    private final Socket socket;
    private final int port;

    private RawClient(Socket socket, int port) {
        this.socket = socket;
        this.port = port;
    }

    /** Connects to 127.0.0.1:{@code port}. */
    public static RawClient connect(int port) throws IOException {
        Socket s = new Socket();
        s.setSoTimeout((int) READ_LIMIT.toMillis());
        s.connect(new InetSocketAddress(Loopback.V4, port), (int) READ_LIMIT.toMillis());
        return new RawClient(s, port);
    }

    /**
     * Connects to 127.0.0.1:{@code port} from a local port that {@code beforeConnect} learns first, so a
     * test can tell the resident's view of the peer before the resident sees it.
     */
    public static RawClient connectFrom(int port, java.util.function.IntConsumer beforeConnect) throws IOException {
        Socket s = new Socket();
        s.setSoTimeout((int) READ_LIMIT.toMillis());
        s.bind(new InetSocketAddress(Loopback.V4, 0));
        beforeConnect.accept(s.getLocalPort());
        s.connect(new InetSocketAddress(Loopback.V4, port), (int) READ_LIMIT.toMillis());
        return new RawClient(s, port);
    }

    /** Sends {@code request} on a new connection and returns everything until the resident closes. */
    public static Reply exchange(int port, String request) throws IOException {
        return exchange(port, request.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends {@code request} on a new connection and returns everything until the resident closes. */
    public static Reply exchange(int port, byte[] request) throws IOException {
        try (RawClient c = connect(port)) {
            c.send(request);
            return c.readToEnd();
        }
    }

    public RawClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.UTF_8));
    }

    public RawClient send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    /** Reads one line up to and including its {@code \n}, as UTF-8; what came before the end if it ends. */
    public String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        int b;
        while ((b = in.read()) >= 0) {
            line.write(b);
            if (b == '\n') break;
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /** Half-closes: the peer sees the end of our stream but can still answer. */
    public RawClient shutdownOutput() throws IOException {
        socket.shutdownOutput();
        return this;
    }

    /**
     * Reads until the peer closes. A reset after the answer (the peer closed with our input unread)
     * ends the reply too and is recorded in {@link Reply#reset()}.
     *
     * @throws AssertionError when the peer neither closes nor resets within {@link #READ_LIMIT}
     */
    public Reply readToEnd() throws IOException {
        long start = System.nanoTime();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] chunk = new byte[8192];
        boolean reset = false;
        try {
            int r;
            while ((r = in.read(chunk)) >= 0) got.write(chunk, 0, r);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("port " + port + " did not close the connection within " + READ_LIMIT.toSeconds()
                    + " s; received so far: " + Reply.escape(got.toByteArray()));
        } catch (SocketException e) {
            reset = true;
        }
        return new Reply(got.toByteArray(), reset, Duration.ofNanos(System.nanoTime() - start));
    }

    /** Whether the peer has closed: a read returns end-of-stream within {@code wait}. */
    public boolean closedWithin(Duration wait) throws IOException {
        int saved = socket.getSoTimeout();
        socket.setSoTimeout((int) wait.toMillis());
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } finally {
            socket.setSoTimeout(saved);
        }
    }

    /**
     * Whether the peer ends the connection (end of stream or reset) within {@code wait}, reading and
     * dropping whatever it sends before that.
     */
    public boolean endedWithin(Duration wait) throws IOException {
        int saved = socket.getSoTimeout();
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            byte[] sink = new byte[512];
            while (true) {
                long left = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) return false;
                socket.setSoTimeout((int) left);
                if (socket.getInputStream().read(sink) < 0) return true;
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset
        } finally {
            if (!socket.isClosed()) socket.setSoTimeout(saved);
        }
    }

    /** The local port of this client's socket: what the resident sees as the peer's port. */
    public int localPort() {
        return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
