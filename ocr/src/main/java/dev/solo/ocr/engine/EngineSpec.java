package dev.solo.ocr.engine;

import dev.solo.ocr.config.OcrConfig;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Which engine reads, with the settings that change what it answers: the languages for {@code
 * tesseract}, the model and endpoint for {@code llm}. A client sends it with its request, so a
 * resident that reads differently says so instead of answering with something else (docs/ocr.md).
 * Secrets (the API key) are never part of it.
 *
 * @param engine {@code tesseract} or {@code llm}
 * @param languages tesseract's models, e.g. {@code deu+eng}; empty for llm
 * @param model llm's model; empty for tesseract
 * @param baseUrl llm's endpoint base; empty for tesseract
 */
public record EngineSpec(String engine, String languages, String model, String baseUrl) {
    public EngineSpec {
        Objects.requireNonNull(engine, "engine");
        languages = Objects.requireNonNullElse(languages, "");
        model = Objects.requireNonNullElse(model, "");
        baseUrl = Objects.requireNonNullElse(baseUrl, "");
    }

    /** The engine {@code config} asks for (the llm model may be empty when it is not set). */
    public static EngineSpec of(OcrConfig config) {
        return switch (config.engine()) {
            case TESSERACT -> new EngineSpec("tesseract", config.languages(), "", "");
            case LLM ->
                new EngineSpec(
                        "llm", "", config.model().orElse(""), config.baseUrl().toString());
        };
    }

    /** The settings as the verb arguments carry them, in a fixed order, empty ones left out. */
    public Map<String, String> arguments() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("engine", engine);
        if (!languages.isEmpty()) m.put("lang", languages);
        if (!model.isEmpty()) m.put("model", model);
        if (!baseUrl.isEmpty()) m.put("base", URI.create(baseUrl).toString());
        return m;
    }

    /** For messages: {@code tesseract (deu+eng)} or {@code llm (model at https://…)}. */
    @Override
    public String toString() {
        return engine.equals("llm") ? "llm (" + model + " at " + baseUrl + ")" : engine + " (" + languages + ")";
    }
}
