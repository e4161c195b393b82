package dev.solo.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The baseline: a plain {@link ServerSocket} on 127.0.0.1 that reads one line, writes it back and
 * closes. No protocol, no authentication, no registry: what one loopback TCP exchange costs on this
 * machine, measured in the same run as the thing compared with it.
 *
 * <p>{@code inline} answers on the accepting thread (the cheapest possible server); otherwise each
 * connection goes to a pooled thread, the shape the resident has (one thread per connection).
 */
final class EchoServer implements AutoCloseable {
    private final ServerSocket socket;
    private final ExecutorService pool;
    private final Thread acceptor;

    private EchoServer(ServerSocket socket, boolean inline) {
        this.socket = socket;
        this.pool = inline ? null : Executors.newCachedThreadPool(daemon("bench-echo-conn"));
        this.acceptor = new Thread(this::acceptLoop, "bench-echo-accept");
        acceptor.setDaemon(true);
    }

    static EchoServer start(boolean inline) throws IOException {
        EchoServer server = new EchoServer(Ports.bindFree(128), inline);
        server.acceptor.start();
        return server;
    }

    InetSocketAddress address() {
        return new InetSocketAddress(Ports.LOOPBACK_V4, socket.getLocalPort());
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            Socket s;
            try {
                s = socket.accept();
            } catch (IOException e) {
                continue; // closed: the loop condition ends it
            }
            if (pool == null) {
                echo(s);
            } else {
                pool.execute(() -> echo(s));
            }
        }
    }

    private static void echo(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            byte[] line = readLine(s.getInputStream());
            OutputStream out = s.getOutputStream();
            out.write(line);
            out.flush();
        } catch (IOException e) {
            // the client left
        }
    }

    /**
     * One client exchange: connect, send {@code line} (ending in {@code \n}), read one line back,
     * close. Used for the baseline and for the {@code PING} of an ADR-007-style client.
     */
    static byte[] roundTrip(InetSocketAddress address, byte[] line) throws IOException {
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.setSoTimeout(5_000);
            s.connect(address, 5_000);
            OutputStream out = s.getOutputStream();
            out.write(line);
            out.flush();
            return readLine(s.getInputStream());
        }
    }

    /** Reads up to and including the first {@code \n}; lines here are a few bytes long. */
    static byte[] readLine(InputStream in) throws IOException {
        byte[] buf = new byte[64];
        int n = 0;
        while (true) {
            if (n == buf.length) buf = Arrays.copyOf(buf, n * 2);
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) throw new EOFException("the peer closed after " + n + " bytes, before \\n");
            for (int i = n; i < n + r; i++) {
                if (buf[i] == '\n') return Arrays.copyOf(buf, i + 1);
            }
            n += r;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        if (pool != null) {
            pool.shutdownNow();
            try {
                pool.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Daemon threads named {@code prefix-N}, so a fork never waits for them at exit. */
    static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
