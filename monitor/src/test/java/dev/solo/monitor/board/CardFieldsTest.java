package dev.solo.monitor.board;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.solo.monitor.derive.Summary;
import dev.solo.monitor.ingest.HookScanTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The board's partial read gives a card the same fields as the whole tree, for every recorded payload. */
class CardFieldsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyFieldACardReadsIsTheTreesValue() throws Exception {
        List<byte[]> payloads = HookScanTest.payloads();
        payloads.add("{\"namespace\":\"hook\",\"data\":{\"hook_event_name\":\"Stop\",\"error\":\"e\"}}"
                .getBytes(StandardCharsets.UTF_8));
        payloads.add("{\"prompt\":\"first\",\"hook_event_name\":\"UserPromptSubmit\",\"prompt\":\"last\"}"
                .getBytes(StandardCharsets.UTF_8));
        payloads.add("[{\"hook_event_name\":\"Stop\"}]".getBytes(StandardCharsets.UTF_8));
        for (byte[] body : payloads) {
            String json = new String(body, StandardCharsets.UTF_8);
            JsonNode tree = Summary.hookObject(JSON.readTree(json));
            JsonNode part = CardFields.read(JSON, json);
            for (String field : CardFields.FIELDS) {
                assertThat(part.get(field)).as(field + " of " + json).isEqualTo(tree.get(field));
            }
        }
    }
}
