package dev.solo.cli.ocr;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A loopback chat-completions endpoint that never answers: it reads each request whole, then holds the
 * connection and notes when the caller drops it (its end of stream, or a reset). It tells whether an
 * {@code llm} engine's request was cancelled, which {@link ChatApiStandIn}, answering at once, cannot.
 */
final class HoldingChatApi implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    /** Counted down when the first request has arrived whole. */
    final CountDownLatch received = new CountDownLatch(1);
    /** Counted down when the caller dropped the first request's connection. */
    final CountDownLatch dropped = new CountDownLatch(1);

    HoldingChatApi() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "holding-chat-api");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                held.add(s);
                Thread t = new Thread(() -> hold(s), "holding-chat-api-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void hold(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            readRequest(in);
            received.countDown();
            while (in.read() >= 0) {
                // nothing is answered; whatever else comes is dropped until the caller closes
            }
        } catch (IOException reset) {
            // a reset is a drop too
        }
        if (!server.isClosed()) dropped.countDown();
    }

    /** Reads the head and its Content-Length body. */
    private static void readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new IOException("the request ended in its head");
            head.append((char) b);
        }
        long length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15))
                length = Long.parseLong(line.substring(15).trim());
        }
        in.skipNBytes(length);
    }

    /** The base URL for {@code OCR_BASE_URL}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/v1";
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : held) s.close();
    }
}
