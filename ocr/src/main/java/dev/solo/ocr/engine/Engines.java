package dev.solo.ocr.engine;

import dev.solo.core.ConfigException;
import dev.solo.ocr.config.OcrConfig;
import dev.solo.ocr.config.Setting;
import dev.solo.ocr.engine.llm.LlmEngine;
import dev.solo.ocr.engine.tesseract.TesseractEngine;
import java.nio.file.Path;

/** Creates the engine the config names. */
public final class Engines {
    private Engines() {}

    /**
     * The configured engine, loaded and ready.
     *
     * @param cacheRoot where Tesseract's model is copied (e.g. {@code <solo home>/cache})
     * @throws ConfigException when the llm engine lacks a model, or needs a key it does not have
     * @throws OcrException when the engine cannot be loaded
     */
    public static OcrEngine create(OcrConfig config, Path cacheRoot) {
        return switch (config.engine()) {
            case TESSERACT -> TesseractEngine.load(cacheRoot);
            case LLM -> new LlmEngine(llmSettings(config));
        };
    }

    static LlmEngine.Settings llmSettings(OcrConfig config) {
        String model = config.model()
                .orElseThrow(() -> new ConfigException(Setting.OCR_ENGINE + "=llm needs " + Setting.MODEL
                        + " (e.g. MODEL=google/gemini-2.5-flash, or the name your local server uses)."
                        + " Set it in the environment or the .env file."));
        var key = config.apiKey();
        if (key.isEmpty() && "openrouter.ai".equals(config.baseUrl().getHost())) {
            throw new ConfigException("the llm engine on " + config.baseUrl() + " needs an API key: set "
                    + Setting.OPENROUTER_API_KEY + ", " + Setting.OPENROUTER_API_KEY_FILE
                    + " or --api-key-path (a local server in OCR_BASE_URL needs none).");
        }
        return new LlmEngine.Settings(config.baseUrl(), model, key, config.providers(), config.deadline());
    }
}
