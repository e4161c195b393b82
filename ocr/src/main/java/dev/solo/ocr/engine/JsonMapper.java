package dev.solo.ocr.engine;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The one Jackson mapper of the OCR module: the llm engine's requests and answers, {@code --json}. */
public final class JsonMapper {
    /** Thread-safe once configured; never reconfigure it. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonMapper() {}
}
