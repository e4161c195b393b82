package dev.solo.bench.monitor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The ingest baseline: the same Jetty, thread pool and connector settings as the monitor, whose handler
 * reads the body as the monitor does (a blocking {@code InputStream}) and answers 200 with no body, with
 * no parsing, no store and no checks. What this machine can do over HTTP keep-alive before the monitor
 * does any work of its own.
 */
final class BareJetty implements AutoCloseable {
    private final Server server;
    private final int port;

    private BareJetty(Server server, int port) {
        this.server = server;
        this.port = port;
    }

    static BareJetty start() throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(64, 4);
        pool.setName("bench-bare-http");
        pool.setDaemon(true);
        Server server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, 0, 1, new HttpConnectionFactory(http));
        int port = FreePorts.free(new Random());
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(
                Boolean.getBoolean(NON_BLOCKING)
                        ? new NonBlocking()
                        : new Handler.Abstract() {
                            @Override
                            public boolean handle(Request request, Response response, Callback callback)
                                    throws IOException {
                                try (InputStream in = Content.Source.asInputStream(request)) {
                                    in.readNBytes(8 * 1024 * 1024 + 1);
                                }
                                response.setStatus(200);
                                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
                                response.write(true, null, callback);
                                return true;
                            }
                        });
        server.start();
        return new BareJetty(server, port);
    }

    /**
     * The A/B of the selector-to-pool hand-off: {@code -Dsolo.bench.bareNonBlocking=true} reads the body by
     * demand and declares the handler non-blocking, so Jetty may run it on the selector thread.
     */
    static final String NON_BLOCKING = "solo.bench.bareNonBlocking";

    /**
     * With {@link #NON_BLOCKING}: {@code -Dsolo.bench.bareJournal=<file>} appends each body, length first,
     * to {@code file} with one {@code write} on the thread that read it, before the answer: the floor of an
     * ingest acknowledged once its event is in an append-only log (in the kernel's page cache, as a SQLite
     * commit in WAL mode with {@code synchronous=NORMAL} is), rather than after a SQLite transaction.
     */
    static final String JOURNAL = "solo.bench.bareJournal";

    private static final class NonBlocking extends Handler.Abstract.NonBlocking implements AutoCloseable {
        private final FileChannel journal;

        NonBlocking() {
            String path = System.getProperty(JOURNAL);
            try {
                if (path == null) {
                    journal = null;
                } else {
                    Files.deleteIfExists(Path.of(path)); // each run starts an empty log
                    journal = FileChannel.open(Path.of(path), StandardOpenOption.CREATE_NEW, StandardOpenOption.APPEND);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open the bench journal " + path, e);
            }
        }

        /** Closes the log, if any; after the server stopped. */
        @Override
        public void close() throws IOException {
            if (journal != null) journal.close();
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            Content.Source.asByteArrayAsync(request, 8 * 1024 * 1024 + 1).whenComplete((body, failure) -> {
                if (failure != null) {
                    callback.failed(failure);
                    return;
                }
                if (journal != null) {
                    ByteBuffer record = ByteBuffer.allocate(4 + body.length);
                    record.putInt(body.length).put(body).flip();
                    try {
                        synchronized (journal) {
                            while (record.hasRemaining()) journal.write(record);
                        }
                    } catch (IOException e) {
                        callback.failed(e);
                        return;
                    }
                }
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
                response.write(true, null, callback);
            });
            return true;
        }
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws Exception {
        server.stop();
        if (server.getHandler() instanceof NonBlocking h) h.close();
    }
}
