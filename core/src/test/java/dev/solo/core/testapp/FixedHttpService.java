package dev.solo.core.testapp;

import dev.solo.core.ClaimResult;
import dev.solo.core.PortPolicy;
import dev.solo.core.Protocol;
import dev.solo.core.SingleInstance;
import dev.solo.core.internal.Json;
import dev.solo.core.internal.LineCodec;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The stand-in for {@code solo monitor} in the child-process tests of seed 000: a small HTTP service
 * on the core's {@code fixed} policy. It is a test fixture, not a product.
 *
 * <pre>
 * FixedHttpService --default-port D [--port N] [--service NAME]
 * </pre>
 *
 * <p>{@code --default-port} plays the part of 8765; {@code --port} is the user's explicit port. The
 * output is the seed's: "Starting solo monitor on localhost:N" and "Monitor running on port N" (exit 0
 * on stop), "Monitor already running at http://localhost:N" (exit 0 at once), or on stderr the
 * "Error: [Default p|P]ort N is already in use by another service." lines followed by the claim's own
 * account (exit 1). Bad usage exits 2.
 *
 * <p>HTTP/1.1, one request per connection ({@code Connection: close}), a thread per connection:
 *
 * <ul>
 *   <li>{@code GET /health[?nonce=X]}: 200, the identity as JSON, plus {@code "proof"} for a nonce.
 *   <li>{@code POST /shutdown} with {@code Authorization: Bearer <token>}: releases the port and the
 *       registry record, then answers 200 and exits 0. Without the token: 401.
 * </ul>
 *
 * SIGTERM releases the port and the record too (shutdown hook), and so does the end of the parent
 * process: a fixture never outlives the test that started it.
 */
public final class FixedHttpService {
    static final String PRODUCT = "solo monitor";
    private static final int MAX_BODY = 64 * 1024;
    private static final int IO_TIMEOUT_MILLIS = 5_000;

    private final SingleInstance app;
    private final ClaimResult.Claimed claim;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final CountDownLatch answeredShutdown = new CountDownLatch(1);

    private FixedHttpService(SingleInstance app, ClaimResult.Claimed claim) {
        this.app = app;
        this.claim = claim;
    }

    public static void main(String[] args) throws InterruptedException {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        int defaultPort = -1;
        int explicitPort = -1;
        String service = "solo-monitor";
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--default-port" -> defaultPort = Integer.parseInt(args[++i]);
                    case "--port" -> explicitPort = Integer.parseInt(args[++i]);
                    case "--service" -> service = args[++i];
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (defaultPort <= 0) throw new IllegalArgumentException("--default-port is required");
        } catch (RuntimeException e) {
            err.println("Usage: FixedHttpService --default-port D [--port N] [--service NAME]: " + e.getMessage());
            return 2;
        }
        boolean explicit = explicitPort > 0;
        int port = explicit ? explicitPort : defaultPort;
        SingleInstance app = SingleInstance.builder(service)
                .version("test")
                .policy(PortPolicy.fixed(port))
                .protocol(Protocol.HTTP)
                .build();

        ClaimResult result = app.claim();
        if (result instanceof ClaimResult.Running) {
            out.println("Monitor already running at http://localhost:" + port);
            return 0;
        }
        if (result instanceof ClaimResult.Claimed claimed) {
            out.println("Starting " + PRODUCT + " on localhost:" + port);
            FixedHttpService server = new FixedHttpService(app, claimed);
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "fixture-shutdown-hook"));
            // A fixture must not outlive the test JVM that started it, even one that was killed.
            ProcessHandle.current().parent().ifPresent(p -> p.onExit().thenRun(() -> System.exit(0)));
            server.start();
            out.println("Monitor running on port " + port);
            out.flush();
            server.answeredShutdown.await();
            out.println("Monitor stopped");
            return 0;
        }
        if (explicit) {
            err.println("Error: Port " + port + " is already in use by another service.");
            err.println("Please stop the existing service or choose a different port.");
        } else {
            err.println("Error: Default port " + port + " is already in use by another service.");
            err.println("Please stop the existing service with '" + PRODUCT + " stop'");
            err.println("or specify a different port with --port.");
        }
        err.println(result.message());
        return 1;
    }

    private void start() {
        int i = 0;
        for (ServerSocketChannel channel : claim.channels()) {
            Thread t = new Thread(() -> acceptLoop(channel), "fixture-accept-" + i++);
            t.setDaemon(true);
            t.start();
        }
    }

    /** Releases the port and the registry record; idempotent. */
    private void stop() {
        if (!stopped.compareAndSet(false, true)) return;
        for (ServerSocketChannel c : claim.channels()) {
            try {
                c.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
        claim.registry().remove(claim.record());
    }

    private void acceptLoop(ServerSocketChannel channel) {
        while (!stopped.get()) {
            SocketChannel client;
            try {
                client = channel.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (stopped.get()) return;
                continue;
            }
            Thread t = new Thread(() -> serve(client.socket()), "fixture-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout(IO_TIMEOUT_MILLIS);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String requestLine = LineCodec.readLine(in, LineCodec.MAX_LINE);
            if (requestLine == null) return;
            Map<String, String> headers = new HashMap<>();
            String line;
            while ((line = LineCodec.readLine(in, LineCodec.MAX_LINE)) != null && !line.isEmpty()) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.put(
                            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            line.substring(colon + 1).trim());
                }
                if (headers.size() > 100) {
                    respond(socket, 431, Map.of("error", "too many headers"));
                    return;
                }
            }
            String[] parts = requestLine.split(" ");
            if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
                respond(socket, 400, Map.of("error", "malformed request line"));
                return;
            }
            long length;
            try {
                length = Long.parseLong(headers.getOrDefault("content-length", "0"));
            } catch (NumberFormatException e) {
                respond(socket, 400, Map.of("error", "bad Content-Length"));
                return;
            }
            if (length < 0 || length > MAX_BODY) {
                respond(socket, 413, Map.of("error", "body over " + MAX_BODY + " bytes"));
                return;
            }
            LineCodec.readExactly(in, (int) length);
            route(socket, parts[0], parts[1], headers);
        } catch (IOException e) {
            // the client left or missed its deadline: nothing to answer
        }
    }

    private void route(Socket socket, String method, String target, Map<String, String> headers) throws IOException {
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        Map<String, String> query = query(q < 0 ? "" : target.substring(q + 1));
        switch (path) {
            case "/health" -> {
                if (!method.equals("GET")) {
                    respond(socket, 405, Map.of("error", "use GET /health"));
                    return;
                }
                Map<String, Object> body =
                        new LinkedHashMap<>(claim.identity().toMap(app.clock().instant()));
                String nonce = query.get("nonce");
                if (nonce != null) body.put("proof", app.registry().token().proof(nonce, claim.identity()));
                respond(socket, 200, body);
            }
            case "/shutdown" -> {
                if (!method.equals("POST")) {
                    respond(socket, 405, Map.of("error", "use POST /shutdown"));
                    return;
                }
                String auth = headers.getOrDefault("authorization", "");
                if (!auth.startsWith("Bearer ")
                        || !app.registry().token().matches(auth.substring("Bearer ".length()))) {
                    respond(socket, 401, Map.of("error", "POST /shutdown needs 'Authorization: Bearer <token>'"));
                    return;
                }
                // Release the port before answering, so a client that got the answer can bind at once.
                stop();
                try {
                    respond(socket, 200, Map.of("status", "stopping"));
                } finally {
                    answeredShutdown.countDown();
                }
            }
            default -> respond(socket, 404, Map.of("error", "no such path: " + path));
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return out;
    }

    private static void respond(Socket socket, int status, Map<String, ?> json) throws IOException {
        byte[] body = (Json.write(json) + "\n").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + reason(status) + "\r\n"
                + "Content-Type: application/json; charset=utf-8\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Cache-Control: no-store\r\n"
                + "Connection: close\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        socket.shutdownOutput();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 413 -> "Payload Too Large";
            case 431 -> "Request Header Fields Too Large";
            default -> "Status";
        };
    }
}
