package dev.solo.core.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A program that is not ours holding a port, in the test's own JVM: the claimer runs in a child, so
 * a child holder would add nothing but start-up time. Every accepted connection is counted and
 * handled on its own thread according to the {@link Kind}.
 */
final class ForeignHolder implements AutoCloseable {

    /** How the holder treats a connection. */
    enum Kind {
        /** Sends bytes that are neither HTTP nor the line protocol, then closes. */
        GARBAGE,
        /** An HTTP server whose {@code /health} names another service. */
        OTHER_SERVICE,
        /** Accepts and never says a word. */
        SILENT
    }

    static final String OTHER_SERVICE_NAME = "other-service";
    static final long OTHER_SERVICE_PID = 4242;

    private final Kind kind;
    private final ServerSocket server;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private ForeignHolder(Kind kind, ServerSocket server) {
        this.kind = kind;
        this.server = server;
        this.acceptor = new Thread(this::acceptLoop, "foreign-holder-" + kind + "-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Listens on {@code address:port}; {@code address == null} is the wildcard (dual-stack where it can). */
    static ForeignHolder start(Kind kind, InetAddress address, int port) throws IOException {
        ServerSocket s = new ServerSocket();
        try {
            s.bind(address == null ? new InetSocketAddress(port) : new InetSocketAddress(address, port));
        } catch (IOException e) {
            s.close();
            throw e;
        }
        return new ForeignHolder(kind, s);
    }

    int port() {
        return server.getLocalPort();
    }

    /** How many connections it accepted. */
    int accepted() {
        return accepted.get();
    }

    boolean isListening() {
        return server.isBound() && !server.isClosed();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            held.add(s);
            Thread t = new Thread(() -> handle(s), "foreign-holder-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    private void handle(Socket s) {
        try {
            switch (kind) {
                case GARBAGE -> {
                    OutputStream out = s.getOutputStream();
                    out.write(new byte[] {
                        0x16, 0x03, 0x01, 0x00, (byte) 0xff, (byte) 0xfe, 'g', 'a', 'r', 'b', 0, '\r', '\n'
                    });
                    out.flush();
                    s.close();
                }
                case OTHER_SERVICE -> {
                    s.setSoTimeout(10_000);
                    readHead(s.getInputStream());
                    byte[] body = ("{\"status\":\"running\",\"service\":\"" + OTHER_SERVICE_NAME
                                    + "\",\"version\":\"9.9\",\"port\":" + server.getLocalPort() + ",\"pid\":"
                                    + OTHER_SERVICE_PID + ",\"uptime\":7}")
                            .getBytes(StandardCharsets.UTF_8);
                    OutputStream out = s.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nServer: other/9.9\r\nContent-Type: application/json\r\n"
                                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                    s.close();
                }
                case SILENT -> {
                    // keep the connection open and say nothing; close() ends it
                }
            }
        } catch (IOException e) {
            // the claimer gave up on us: fine
        }
    }

    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        int b;
        while (matched < 4 && (b = in.read()) >= 0) {
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : held) s.close();
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return kind + " holder on " + server.getLocalSocketAddress();
    }
}
