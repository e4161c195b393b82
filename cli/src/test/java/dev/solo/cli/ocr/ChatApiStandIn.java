package dev.solo.cli.ocr;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback stand-in for an OpenAI-compatible chat-completions endpoint (the {@code llm} engine's
 * third-party API, as a local Ollama would serve it): every {@code POST /v1/chat/completions} is
 * answered with {@code content}. Counts the requests.
 */
final class ChatApiStandIn implements AutoCloseable {
    private final HttpServer server;
    final AtomicInteger requests = new AtomicInteger();

    ChatApiStandIn(String content) throws IOException {
        this(
                200,
                new ObjectMapper()
                        .writeValueAsString(Map.of(
                                "choices",
                                List.of(Map.of("message", Map.of("role", "assistant", "content", content))))));
    }

    /** Answers every request with {@code status} and the JSON {@code json}. */
    ChatApiStandIn(int status, String json) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        server.createContext("/v1/chat/completions", exchange -> {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** The base URL for {@code OCR_BASE_URL}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
