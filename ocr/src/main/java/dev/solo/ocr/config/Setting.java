package dev.solo.ocr.config;

/**
 * Every knob of {@code solo ocr}, in one place: its key (environment variable and {@code .env}
 * name), its default ({@code null}: unset) and what it does. {@code solo ocr config} and
 * docs/ocr.md list them in this order.
 */
public enum Setting {
    OCR_ENGINE("tesseract", "OCR engine: tesseract (embedded, offline) or llm (OpenAI-compatible endpoint)"),
    OCR_LANG("eng", "tesseract: languages to read, '+'-separated model names such as deu+eng"),
    OCR_TESSDATA(
            null, "tesseract: folder of <lang>.traineddata models (default <solo home>/tessdata); eng is built in"),
    OCR_MAX_MEGAPIXELS("40", "largest image to read, in megapixels (1..400); bigger ones are refused before decoding"),
    HOTKEY("ctrl+alt+q", "global hotkey that opens the selection overlay, e.g. ctrl+shift+o"),
    DEFAULT_MODE("rect", "selection mode the overlay starts in: rect or lasso (Space toggles)"),
    OCR_POPUP_SEC("3", "seconds the popup shows the text it read (1..60)"),
    SINGLEINSTANCE_PORT_START("49500", "first loopback port the resident may take"),
    SINGLEINSTANCE_PORT_END("49550", "last loopback port the resident may take"),
    OCR_DEADLINE_SEC("20", "llm: seconds one request may take before it is cancelled (1..600)"),
    OCR_BASE_URL("https://openrouter.ai/api/v1", "llm: base URL of the chat-completions API (Ollama, llama.cpp …)"),
    MODEL(null, "llm: model name, required for the llm engine"),
    OPENROUTER_API_KEY(null, "llm: API key (lowest precedence)"),
    OPENROUTER_API_KEY_FILE(null, "llm: file holding the API key (wins over OPENROUTER_API_KEY; --api-key-path wins)"),
    PROVIDERS(null, "llm: comma-separated provider order for OpenRouter routing, no fallbacks");

    private final String defaultValue;
    private final String doc;

    Setting(String defaultValue, String doc) {
        this.defaultValue = defaultValue;
        this.doc = doc;
    }

    /** The default, or {@code null} when the setting is unset by default. */
    public String defaultValue() {
        return defaultValue;
    }

    /** One line for {@code solo ocr config} and the docs. */
    public String doc() {
        return doc;
    }

    /** Whether the value is a secret that is never printed in full. */
    public boolean secret() {
        return this == OPENROUTER_API_KEY;
    }
}
