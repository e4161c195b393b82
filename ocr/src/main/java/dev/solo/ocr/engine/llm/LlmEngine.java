package dev.solo.ocr.engine.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.solo.ocr.engine.JsonMapper;
import dev.solo.ocr.engine.NoTextException;
import dev.solo.ocr.engine.OcrEngine;
import dev.solo.ocr.engine.OcrException;
import dev.solo.ocr.engine.TextCleanup;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.imageio.ImageIO;

/**
 * OCR by a vision model behind an OpenAI-compatible {@code POST <base>/chat/completions}: OpenRouter
 * by default, or any local server that speaks the same API (Ollama, llama.cpp).
 *
 * <p>The request: one user message with the prompt and the image as a base64 PNG data URL,
 * temperature 0.1, at most 2000 tokens, and when providers are given OpenRouter's {@code provider}
 * routing with that order and no fallbacks. The model answers {@value #NO_TEXT} when it sees no text;
 * that becomes {@link NoTextException}.
 *
 * <p>The deadline covers the whole exchange; when it passes, the HTTP exchange is cancelled (the
 * connection is closed), not just abandoned. Thread-safe.
 */
public final class LlmEngine implements OcrEngine {
    /** What the model is told to answer for an image without text. */
    static final String NO_TEXT = "NO_TEXT_FOUND";

    static final String PROMPT = "Transcribe all text in this image exactly as it appears."
            + " Output only the raw text, preserving line breaks; no commentary, no markdown, no code fences."
            + " If the image contains no text at all, output exactly " + NO_TEXT + ".";

    /** Settings of the llm engine, checked. */
    public record Settings(
            URI baseUrl, String model, Optional<String> apiKey, List<String> providers, Duration deadline) {
        public Settings {
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(model, "model");
            apiKey = Objects.requireNonNull(apiKey, "apiKey");
            providers = List.copyOf(providers);
            if (deadline.isNegative() || deadline.isZero()) {
                throw new IllegalArgumentException("deadline must be > 0, got " + deadline);
            }
        }
    }

    private final Settings settings;
    private final URI endpoint;
    private final HttpClient http;

    public LlmEngine(Settings settings) {
        this.settings = settings;
        String base = settings.baseUrl().toString();
        this.endpoint =
                URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/chat/completions");
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.deadline())
                .build();
    }

    @Override
    public String name() {
        return "llm";
    }

    /** Where requests go. */
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public String recognize(BufferedImage image) throws InterruptedException {
        long deadline = System.nanoTime() + settings.deadline().toNanos();
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(settings.deadline())
                .header("Content-Type", "application/json")
                .header("X-Title", "solo ocr")
                .POST(HttpRequest.BodyPublishers.ofString(requestBody(png(image)), StandardCharsets.UTF_8));
        settings.apiKey().ifPresent(k -> request.header("Authorization", "Bearer " + k));
        CompletableFuture<HttpResponse<String>> call =
                http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        HttpResponse<String> response;
        try {
            response = call.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw deadlinePassed();
        } catch (InterruptedException e) {
            call.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) throw deadlinePassed();
            if (cause instanceof IOException) {
                throw new OcrException(
                        "cannot reach the llm endpoint " + endpoint + ": " + cause
                                + ". Check OCR_BASE_URL and that the server runs.",
                        cause);
            }
            throw new OcrException("the request to " + endpoint + " failed: " + cause, cause);
        }
        return answer(response);
    }

    private OcrException deadlinePassed() {
        return new OcrException("the llm endpoint " + endpoint + " did not answer within "
                + settings.deadline().toSeconds() + " s (OCR_DEADLINE_SEC); the request was cancelled."
                + " Raise OCR_DEADLINE_SEC or try a faster model.");
    }

    String requestBody(byte[] png) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", settings.model());
        body.put("temperature", 0.1);
        body.put("max_tokens", 2000);
        String dataUrl = "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
        body.put(
                "messages",
                List.of(Map.of(
                        "role",
                        "user",
                        "content",
                        List.of(
                                Map.of("type", "text", "text", PROMPT),
                                Map.of("type", "image_url", "image_url", Map.of("url", dataUrl))))));
        if (!settings.providers().isEmpty()) {
            Map<String, Object> provider = new LinkedHashMap<>();
            provider.put("order", settings.providers());
            provider.put("allow_fallbacks", false);
            body.put("provider", provider);
        }
        try {
            return JsonMapper.MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the request as JSON", e);
        }
    }

    private String answer(HttpResponse<String> response) {
        int status = response.statusCode();
        String body = response.body() == null ? "" : response.body();
        if (status / 100 != 2) throw httpError(status, body);
        Object content;
        try {
            Object doc = JsonMapper.MAPPER.readValue(body, Object.class);
            Object choices = ((Map<?, ?>) doc).get("choices");
            Object first = ((List<?>) choices).get(0);
            content = ((Map<?, ?>) ((Map<?, ?>) first).get("message")).get("content");
        } catch (JsonProcessingException | RuntimeException e) {
            throw new OcrException("the llm endpoint " + endpoint + " answered HTTP " + status
                    + " with no choices[0].message.content: " + abbreviate(body)
                    + ". Is OCR_BASE_URL an OpenAI-compatible API?");
        }
        String text = content instanceof String s ? s : content instanceof List<?> parts ? joinParts(parts) : "";
        text = TextCleanup.lines(stripFences(text));
        if (text.isEmpty() || text.equals(NO_TEXT)) throw new NoTextException();
        return text;
    }

    private static String joinParts(List<?> parts) {
        StringBuilder b = new StringBuilder();
        for (Object p : parts) {
            if (p instanceof Map<?, ?> m && m.get("text") instanceof String t) b.append(t);
        }
        return b.toString();
    }

    private static String stripFences(String text) {
        String t = text.strip();
        if (t.startsWith("```") && t.endsWith("```") && t.length() >= 6) {
            int nl = t.indexOf('\n');
            return nl < 0 ? "" : t.substring(nl + 1, t.length() - 3);
        }
        return t;
    }

    private OcrException httpError(int status, String body) {
        String detail = errorMessage(body);
        String what = switch (status) {
            case 401, 403 -> "rejected the API key (HTTP " + status + ")";
            case 402 -> "refused for lack of credits (HTTP 402)";
            case 404 -> "does not know the model '" + settings.model() + "' or the path (HTTP 404)";
            case 429 -> "is rate limiting requests (HTTP 429)";
            default ->
                status >= 500
                        ? "failed with a server error (HTTP " + status + ")"
                        : "refused the request (HTTP " + status + ")";
        };
        String next = switch (status) {
            case 401, 403 -> "Check OPENROUTER_API_KEY, OPENROUTER_API_KEY_FILE or --api-key-path.";
            case 402 -> "Add credits to the account, or use another MODEL.";
            case 404 -> "Check MODEL and OCR_BASE_URL.";
            case 429 -> "Wait a moment and retry, or use another MODEL/PROVIDERS.";
            default -> status >= 500 ? "Retry later, or use another provider." : "Check MODEL and PROVIDERS.";
        };
        return new OcrException(
                "the llm endpoint " + endpoint + " " + what + (detail.isEmpty() ? "" : ": " + detail) + ". " + next);
    }

    private static String errorMessage(String body) {
        try {
            Object doc = JsonMapper.MAPPER.readValue(body, Object.class);
            if (doc instanceof Map<?, ?> m) {
                Object error = m.get("error");
                if (error instanceof Map<?, ?> e && e.get("message") instanceof String s) return s;
                if (error instanceof String s) return s;
            }
        } catch (JsonProcessingException | RuntimeException ignored) {
            // not JSON: show the text
        }
        return abbreviate(body.strip());
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }

    static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) throw new IOException("no PNG writer");
        } catch (IOException e) {
            throw new OcrException("cannot encode the region as PNG: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        // HttpClient (Java 17) has no close; its threads are daemons and end with the JVM.
    }
}
