package dev.solo.ocr.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.solo.ocr.engine.JsonMapper;
import dev.solo.ocr.engine.NoTextException;
import dev.solo.ocr.engine.OcrException;
import dev.solo.ocr.testing.TextImages;
import java.awt.Font;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The llm engine against a fake OpenAI-compatible server on loopback. */
class LlmEngineTest {
    private HttpServer server;
    private final BlockingQueue<Recorded> requests = new LinkedBlockingQueue<>();
    private final AtomicReference<Reply> reply = new AtomicReference<>(new Reply(200, chat("hello")));

    record Recorded(String path, Map<String, List<String>> headers, String body) {}

    record Reply(int status, String body) {}

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new Recorded(ex.getRequestURI().getPath(), ex.getRequestHeaders(), body));
        Reply r = reply.get();
        byte[] bytes = r.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(r.status(), bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    private static String chat(String content) {
        return json(Map.of(
                "id",
                "x",
                "choices",
                List.of(Map.of("index", 0, "message", Map.of("role", "assistant", "content", content)))));
    }

    private static String json(Object value) {
        try {
            return JsonMapper.MAPPER.writeValueAsString(value);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<?, ?> parse(String text) throws java.io.IOException {
        return JsonMapper.MAPPER.readValue(text, Map.class);
    }

    private LlmEngine engine(List<String> providers, Duration deadline) {
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1");
        return new LlmEngine(
                new LlmEngine.Settings(base, "vendor/vision-model", Optional.of("sk-test-123"), providers, deadline));
    }

    @Test
    void sendsTheModelTheImageAsAPngDataUrlAtLowTemperatureWithRouting() throws Exception {
        reply.set(new Reply(200, chat("Line one\nLine two  \n")));
        var image = TextImages.render(List.of("Line one", "Line two"), new Font("SansSerif", Font.PLAIN, 16));

        String text = engine(List.of("openai", "google-vertex"), Duration.ofSeconds(5))
                .recognize(image);

        assertThat(text).isEqualTo("Line one\nLine two");
        Recorded r = requests.poll(5, TimeUnit.SECONDS);
        assertThat(r).isNotNull();
        assertThat(r.path()).isEqualTo("/api/v1/chat/completions");
        assertThat(r.headers().get("Authorization")).containsExactly("Bearer sk-test-123");
        Map<?, ?> body = parse(r.body());
        assertThat(body.get("model")).isEqualTo("vendor/vision-model");
        assertThat(body.get("temperature")).isEqualTo(0.1);
        assertThat(body.get("max_tokens")).isEqualTo(2000);
        assertThat(body.get("provider"))
                .isEqualTo(Map.of("order", List.of("openai", "google-vertex"), "allow_fallbacks", false));
        Map<?, ?> message = (Map<?, ?>) ((List<?>) body.get("messages")).get(0);
        assertThat(message.get("role")).isEqualTo("user");
        List<?> content = (List<?>) message.get("content");
        assertThat(((Map<?, ?>) content.get(0)).get("text")).isEqualTo(LlmEngine.PROMPT);
        String url = (String) ((Map<?, ?>) ((Map<?, ?>) content.get(1)).get("image_url")).get("url");
        assertThat(url).startsWith("data:image/png;base64,");
        var decoded = ImageIO.read(
                new ByteArrayInputStream(Base64.getDecoder().decode(url.substring("data:image/png;base64,".length()))));
        assertThat(decoded.getWidth()).isEqualTo(image.getWidth());
        assertThat(decoded.getHeight()).isEqualTo(image.getHeight());
        assertThat(decoded.getRGB(0, 0)).isEqualTo(image.getRGB(0, 0));
    }

    @Test
    void withoutProvidersThereIsNoRoutingObject() throws Exception {
        engine(List.of(), Duration.ofSeconds(5)).recognize(TextImages.blank(10, 10));
        Map<?, ?> body = parse(requests.poll(5, TimeUnit.SECONDS).body());
        assertThat(body.containsKey("provider")).isFalse();
    }

    @Test
    void theSentinelIsTheNoTextError() {
        reply.set(new Reply(200, chat(" " + LlmEngine.NO_TEXT + "\n")));
        assertThatThrownBy(() -> engine(List.of(), Duration.ofSeconds(5)).recognize(TextImages.blank(10, 10)))
                .isInstanceOf(NoTextException.class)
                .hasMessage("no text detected in image");
    }

    @Test
    void httpErrorsSayWhatHappenedAndWhatToDo() {
        var e = engine(List.of(), Duration.ofSeconds(5));
        var img = TextImages.blank(10, 10);
        reply.set(new Reply(401, "{\"error\":{\"message\":\"No auth credentials found\",\"code\":401}}"));
        assertThatThrownBy(() -> e.recognize(img))
                .isInstanceOf(OcrException.class)
                .hasMessageContaining("rejected the API key (HTTP 401)")
                .hasMessageContaining("No auth credentials found")
                .hasMessageContaining("OPENROUTER_API_KEY");
        reply.set(new Reply(429, "{\"error\":{\"message\":\"Rate limit exceeded\"}}"));
        assertThatThrownBy(() -> e.recognize(img))
                .hasMessageContaining("rate limiting requests (HTTP 429)")
                .hasMessageContaining("Rate limit exceeded")
                .hasMessageContaining("retry");
        reply.set(new Reply(500, "upstream exploded"));
        assertThatThrownBy(() -> e.recognize(img))
                .hasMessageContaining("server error (HTTP 500)")
                .hasMessageContaining("upstream exploded")
                .hasMessageContaining(e.endpoint().toString());
        reply.set(new Reply(200, "{\"not\":\"a completion\"}"));
        assertThatThrownBy(() -> e.recognize(img)).hasMessageContaining("no choices[0].message.content");
    }

    @Test
    void anUnreachableEndpointNamesIt() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        var e = new LlmEngine(new LlmEngine.Settings(
                URI.create("http://127.0.0.1:" + port + "/v1"),
                "m",
                Optional.empty(),
                List.of(),
                Duration.ofSeconds(5)));
        assertThatThrownBy(() -> e.recognize(TextImages.blank(10, 10)))
                .isInstanceOf(OcrException.class)
                .hasMessageContaining("cannot reach the llm endpoint http://127.0.0.1:" + port + "/v1/chat/completions")
                .hasMessageContaining("OCR_BASE_URL");
    }

    /** A server that reads the request and never answers: the deadline ends the call and closes it. */
    @Test
    void theDeadlineCancelsTheHttpCall() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CountDownLatch clientClosed = new CountDownLatch(1);
            Thread acceptor = new Thread(() -> {
                try (Socket s = silent.accept()) {
                    InputStream in = s.getInputStream();
                    while (in.read() >= 0) {
                        // swallow the request; never answer
                    }
                    clientClosed.countDown();
                } catch (IOException ignored) {
                    clientClosed.countDown();
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            var e = new LlmEngine(new LlmEngine.Settings(
                    URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/v1"),
                    "m",
                    Optional.empty(),
                    List.of(),
                    Duration.ofSeconds(1)));
            long start = System.nanoTime();
            assertThatThrownBy(() -> e.recognize(TextImages.blank(10, 10)))
                    .isInstanceOf(OcrException.class)
                    .hasMessageContaining("did not answer within 1 s (OCR_DEADLINE_SEC)")
                    .hasMessageContaining("cancelled");
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            // it waited for the deadline; a hang past it would hit the test's timeout
            assertThat(tookMillis).isGreaterThanOrEqualTo(900L);
            assertThat(clientClosed.await(5, TimeUnit.SECONDS))
                    .as("the client closed the connection after the deadline")
                    .isTrue();
        }
    }
}
