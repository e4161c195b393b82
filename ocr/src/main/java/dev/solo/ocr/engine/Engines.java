package dev.solo.ocr.engine;

import dev.solo.core.ConfigException;
import dev.solo.ocr.config.OcrConfig;
import dev.solo.ocr.config.Setting;
import dev.solo.ocr.engine.llm.LlmEngine;
import dev.solo.ocr.engine.tesseract.TesseractEngine;
import java.nio.file.Path;

/** Creates the engines the config names. */
public final class Engines {
    /** Jobs that may wait for a busy engine pool before new ones are refused. */
    static final int MAX_WAITING = 32;
    /** llm requests in flight at once: the work is the endpoint's, not ours. */
    static final int LLM_PARALLEL = 4;

    private Engines() {}

    /**
     * Checks, without loading anything, that the configured engine has what it needs (the llm model
     * and key), so a client fails the same way whether or not a resident runs.
     *
     * @throws ConfigException naming what is missing
     */
    public static void check(OcrConfig config) {
        if (config.engine() == OcrConfig.Engine.LLM) llmSettings(config);
    }

    /**
     * The configured engine, loaded and ready.
     *
     * @param soloHome the state directory: models are copied under {@code <soloHome>/cache}, and
     *     {@code <soloHome>/tessdata} is the default model folder
     * @throws ConfigException when the llm engine lacks a model, or needs a key it does not have
     * @throws OcrException when the engine cannot be loaded (a missing language model, say)
     */
    public static OcrEngine create(OcrConfig config, Path soloHome) {
        return switch (config.engine()) {
            case TESSERACT ->
                TesseractEngine.load(
                        soloHome.resolve("cache"),
                        config.languages(),
                        config.modelDir(soloHome),
                        config.modelDirSource());
            case LLM -> new LlmEngine(llmSettings(config));
        };
    }

    /**
     * A pool of the configured engine, its first engine loaded: one Tesseract per core (at most 8),
     * or {@value #LLM_PARALLEL} llm clients.
     *
     * @throws ConfigException when the llm engine lacks a model or key
     * @throws OcrException when the first engine cannot be loaded
     */
    public static EnginePool pool(OcrConfig config, Path soloHome) {
        check(config);
        int size = config.engine() == OcrConfig.Engine.TESSERACT
                ? Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()))
                : LLM_PARALLEL;
        return new EnginePool(() -> create(config, soloHome), EngineSpec.of(config), size, MAX_WAITING).warm();
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
