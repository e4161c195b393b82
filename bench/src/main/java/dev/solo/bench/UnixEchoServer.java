package dev.solo.bench;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The baseline of the same-user socket: a plain Unix-domain server that reads one line, writes it back
 * and closes, on its accepting thread. No protocol, no greeting, no registry: what one Unix-socket
 * exchange costs on this machine, measured in the same run as our delegation over the socket.
 */
final class UnixEchoServer implements AutoCloseable {
    private final Path dir;
    private final Path path;
    private final ServerSocketChannel server;
    private final Thread acceptor;

    private UnixEchoServer(Path dir, Path path, ServerSocketChannel server) {
        this.dir = dir;
        this.path = path;
        this.server = server;
        this.acceptor = new Thread(this::acceptLoop, "bench-unix-echo-accept");
        acceptor.setDaemon(true);
    }

    static UnixEchoServer start() throws IOException {
        Path dir = Files.createTempDirectory("solo-bench-unix-");
        Path path = dir.resolve("echo.sock");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path), 128);
        UnixEchoServer echo = new UnixEchoServer(dir, path, server);
        echo.acceptor.start();
        return echo;
    }

    Path path() {
        return path;
    }

    private void acceptLoop() {
        ByteBuffer buf = ByteBuffer.allocate(256);
        while (server.isOpen()) {
            try (SocketChannel ch = server.accept()) {
                buf.clear();
                while (ch.read(buf) >= 0 && !endsWithNewline(buf)) {
                    // a line is a few bytes: one read, almost always
                }
                buf.flip();
                while (buf.hasRemaining()) ch.write(buf);
            } catch (IOException e) {
                // the client left, or the server was closed: the loop condition decides
            }
        }
    }

    private static boolean endsWithNewline(ByteBuffer buf) {
        return buf.position() > 0 && buf.get(buf.position() - 1) == '\n';
    }

    /** One client exchange: connect, send {@code line}, read one line back, close. */
    static byte[] roundTrip(Path path, byte[] line) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            ch.write(ByteBuffer.wrap(line));
            ByteBuffer buf = ByteBuffer.allocate(256);
            while (ch.read(buf) >= 0 && !endsWithNewline(buf)) {
                // until the line is back
            }
            byte[] out = new byte[buf.position()];
            buf.flip().get(out);
            return out;
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(path);
        Files.deleteIfExists(dir);
    }
}
