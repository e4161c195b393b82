package dev.solo.cli;

import dev.solo.core.InstanceRecord;
import dev.solo.core.Protocol;
import dev.solo.core.Registry;
import dev.solo.core.ServiceIdentity;
import dev.solo.core.Token;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The partner of the class-data-sharing training run for the monitor's client commands: a loopback HTTP
 * listener that answers {@code GET /health?nonce=} with an identity of service {@code solo-monitor} and
 * the proof of the training registry's token, and {@code GET /api/status} with that identity and counts,
 * on a loopback port and on the same-user socket's place (the client's first try),
 * so {@code solo monitor} (reuse) and {@code solo monitor status} run their whole client path in the
 * training JVM without a real monitor (Jetty, SQLite) being loaded into the archive. One thread, one
 * request per connection. Its record is in the training registry while it runs, so {@code solo list}
 * probes it too; {@link #close()} removes the record and stops it.
 */
final class TrainingMonitor implements AutoCloseable {
    private final ServerSocket server;
    private volatile ServerSocketChannel local;
    private final Registry registry;
    private final ServiceIdentity identity;
    private final Thread thread;
    private final Thread localThread;

    private TrainingMonitor(ServerSocket server, Registry registry, ServiceIdentity identity) {
        this.server = server;
        this.registry = registry;
        this.identity = identity;
        this.thread = new Thread(this::serve, "solo-cds-monitor");
        this.thread.setDaemon(true);
        this.localThread = new Thread(this::serveLocal, "solo-cds-monitor-local");
        this.localThread.setDaemon(true);
    }

    /** Serves on a free loopback port. */
    static TrainingMonitor start(Registry registry, String version) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0));
        ServiceIdentity id = new ServiceIdentity(
                "solo-monitor",
                version,
                ProcessHandle.current().pid(),
                System.getProperty("user.name"),
                Token.nonce().substring(0, 12),
                Instant.now(),
                server.getLocalPort(),
                "",
                ServiceIdentity.State.IDLE);
        TrainingMonitor m = new TrainingMonitor(server, registry, id);
        m.thread.start();
        registry.register(InstanceRecord.of(id, Protocol.HTTP, null)); // so solo list probes it
        return m;
    }

    /** Serves on {@code socket} too (its directory made here); nothing for {@code null}. */
    void serveSocket(Path socket) throws IOException {
        if (socket == null) return;
        Files.createDirectories(socket.getParent());
        local = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        local.bind(UnixDomainSocketAddress.of(socket));
        localThread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                s.setSoTimeout(5000);
                answer(s.getInputStream(), s.getOutputStream());
            } catch (IOException closedOrBroken) {
                // the run ends with close(); a broken exchange fails the training's client, which says so
            }
        }
    }

    private void serveLocal() {
        while (local.isOpen()) {
            try (SocketChannel ch = local.accept()) {
                answer(Channels.newInputStream(ch), Channels.newOutputStream(ch));
            } catch (IOException closedOrBroken) {
                // as above
            }
        }
    }

    /** Stops serving on the socket (and removes its file): the clients go on over TCP with the proof. */
    void closeSocket() throws IOException {
        if (local == null || !local.isOpen()) return;
        java.net.SocketAddress at = local.getLocalAddress();
        local.close();
        if (at instanceof UnixDomainSocketAddress u) Files.deleteIfExists(u.getPath());
        try {
            localThread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void answer(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[8192];
        int n = 0;
        while (n < buf.length) {
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) break;
            n += r;
            String head = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
            if (head.contains("\r\n\r\n")) break;
        }
        String head = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
        String json = identity.toJson(Instant.now());
        String body;
        if (head.startsWith("GET /health?nonce=")) {
            String nonce = head.substring("GET /health?nonce=".length(), head.indexOf(' ', 4));
            body = json.substring(0, json.length() - 1) + ",\"proof\":\""
                    + registry.token().proof(nonce, identity) + "\"}";
        } else if (head.startsWith("GET /api/status ") || head.startsWith("POST /api/login-code ")) {
            body = json.substring(0, json.length() - 1) + ",\"streams\":1,\"events\":2}";
        } else {
            body = "{\"error\":\"not found\"}";
        }
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String status = body.startsWith("{\"error\"") ? "404 Not Found" : "200 OK";
        out.write(("HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\nContent-Length: " + b.length
                        + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(b);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        registry.remove(InstanceRecord.of(identity, Protocol.HTTP, null));
        closeSocket();
        server.close();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
