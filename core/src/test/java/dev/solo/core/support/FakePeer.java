package dev.solo.core.support;

import dev.solo.core.internal.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A scriptable stranger on a real loopback port or Unix-domain socket (in the spirit of OkHttp's {@code
 * MockWebServer} and its {@code SocketPolicy}): it accepts connections and runs a {@link Script} on
 * each, and it records every byte it received, so a test can prove what a client did or did not send.
 *
 * <p>Threads are named {@code fake-*}; {@link #close()} closes the listener and every connection (and
 * removes a Unix socket's file).
 */
public final class FakePeer implements AutoCloseable {
    /** What the fake does with one accepted connection. */
    @FunctionalInterface
    public interface Script {
        void run(Connection c) throws IOException;
    }

    private final ServerSocketChannel server;
    private final Path file;
    private final String name;
    private final Script script;
    private final Thread acceptor;
    private final List<SocketChannel> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> workers = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean closed;

    private FakePeer(ServerSocketChannel server, Path file, String name, Script script) {
        this.server = server;
        this.file = file;
        this.name = name;
        this.script = script;
        this.acceptor = new Thread(this::acceptLoop, "fake-accept-" + name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Listens on {@code address:port} (an address of 0.0.0.0 or :: is the wildcard). */
    public static FakePeer listen(InetAddress address, int port, Script script) throws IOException {
        ServerSocketChannel s = ServerSocketChannel.open();
        try {
            s.bind(new InetSocketAddress(address, port), 50);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        return new FakePeer(s, null, String.valueOf(port), script);
    }

    /** Listens on 127.0.0.1:{@code port}. */
    public static FakePeer listen(int port, Script script) throws IOException {
        return listen(Loopback.V4, port, script);
    }

    /** Listens on a Unix-domain socket at {@code path}, as a same-user socket would. */
    public static FakePeer listenLocal(Path path, Script script) throws IOException {
        Files.createDirectories(path.getParent());
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            s.bind(UnixDomainSocketAddress.of(path), 50);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        return new FakePeer(s, path, path.getFileName().toString(), script);
    }

    /** The TCP port; only for a fake made by {@link #listen}. */
    public int port() {
        try {
            SocketAddress a = server.getLocalAddress();
            return ((InetSocketAddress) a).getPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many connections it accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    /** Every byte any client sent it so far, as UTF-8 (invalid bytes replaced). */
    public String received() {
        synchronized (received) {
            return received.toString(StandardCharsets.UTF_8);
        }
    }

    /** Whether it still holds its port: bound, not closed, accepting. */
    public boolean holdsPort() {
        return server.isOpen() && acceptor.isAlive();
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            sockets.add(s);
            int n = accepted.incrementAndGet();
            Thread t = new Thread(() -> serve(s), "fake-conn-" + name + "-" + n);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
    }

    private void serve(SocketChannel s) {
        try (s) {
            script.run(new Connection(s));
        } catch (IOException e) {
            // the client left, or close() closed the socket
        }
    }

    /** Closes the listener and every connection, and waits (up to 5 s each) for its threads. */
    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (SocketChannel s : sockets) s.close();
        if (file != null) Files.deleteIfExists(file);
        try {
            acceptor.join(5000);
            for (Thread t : workers) t.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One accepted connection, as the script sees it; everything read through it is recorded. */
    public final class Connection {
        private final SocketChannel channel;
        private final InputStream in;
        private final OutputStream out;

        Connection(SocketChannel channel) {
            this.channel = channel;
            this.in = Channels.newInputStream(channel);
            this.out = Channels.newOutputStream(channel);
        }

        /** Closes the connection at once, whatever the client waits for. */
        public void close() throws IOException {
            channel.close();
        }

        /**
         * Ends its side without answering, then reads (and records) until the client closes: the client
         * sees a clean end of stream, never the reset that closing with its request unread would cause.
         */
        public void hangUp() throws IOException {
            channel.shutdownOutput();
            drain();
        }

        /** Reads one byte, recording it; -1 at end of stream. */
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                synchronized (received) {
                    received.write(b);
                }
            }
            return b;
        }

        /** Reads up to and without the next {@code \n} (and a {@code \r} before it); null at end of stream. */
        public String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = read()) >= 0 && b != '\n') line.write(b);
            if (b < 0 && line.size() == 0) return null;
            String text = line.toString(StandardCharsets.UTF_8);
            return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        }

        /** Reads and records everything until the client closes (or the fake is closed). */
        public void drain() throws IOException {
            while (read() >= 0) {
                // recording is the point
            }
        }

        public void write(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    // ---- ready-made scripts ----

    /** Accepts, reads (and records) everything, never writes: a hung or unrelated silent server. */
    public static Script silent() {
        return Connection::drain;
    }

    /** Writes {@code text} at once and closes, whatever the client says: a banner-sending service. */
    public static Script says(String text) {
        return c -> c.write(text);
    }

    /**
     * A minimal HTTP/1.1 server: {@code GET /health...} gets 200 with {@code json}, any other request
     * line 404, and a line that is not HTTP at all (a {@code HELLO}) gets 400, as real servers do.
     */
    public static Script http(String server, String json) {
        return c -> {
            String requestLine = c.readLine();
            if (requestLine == null) return;
            boolean http = requestLine.matches("[A-Z]+ \\S+ HTTP/1\\.[01]");
            if (http) {
                String header;
                while ((header = c.readLine()) != null && !header.isEmpty()) {
                    // headers are recorded, not used
                }
            }
            int status = !http ? 400 : requestLine.startsWith("GET /health") ? 200 : 404;
            String body = status == 200 ? json : "";
            c.write("HTTP/1.1 " + status + (status == 200 ? " OK" : status == 404 ? " Not Found" : " Bad Request")
                    + "\r\nServer: " + server + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body);
        };
    }

    /**
     * Answers {@code HELLO <nonce>} with {@code HELLO <json>} where the JSON is {@code identity(nonce)},
     * then records whatever the client sends until it closes. Anything else first is recorded and
     * gets no answer.
     */
    public static Script hello(Function<String, Map<String, Object>> identity) {
        return c -> {
            String first = c.readLine();
            if (first != null && first.startsWith("HELLO ")) {
                c.write("HELLO " + Json.write(identity.apply(first.substring("HELLO ".length()))) + "\n");
            }
            c.drain();
        };
    }
}
