package dev.solo.monitor.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.solo.monitor.testing.HookFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A hook body stored as sent ({@link Verbatim}) is stored with exactly the characters the tree's
 * write-back gives, which is what every earlier version stored: checked on every real payload, on
 * each form the write-back changes, and on random mutations of the payloads.
 */
@Timeout(60)
class VerbatimTest {
    /** The write-back, as {@link Ingest} configures its mapper. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final Ingest ingest = new Ingest();

    static List<byte[]> fixtures() throws Exception {
        List<byte[]> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(HookFixtures.DIR)) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                out.add(Files.readAllBytes(f));
            }
        }
        return out;
    }

    private static String writtenBack(byte[] body) throws Exception {
        return MAPPER.writeValueAsString(MAPPER.readTree(body));
    }

    private void storedAsWrittenBack(byte[] body) throws Exception {
        assertThat(ingest.hook(body).json())
                .as(new String(body, StandardCharsets.UTF_8))
                .isEqualTo(writtenBack(body));
    }

    @Test
    void everyRealPayloadIsStoredAsSentAndThatIsWhatTheWriteBackGives() throws Exception {
        List<byte[]> all = fixtures();
        assertThat(all).hasSizeGreaterThan(30);
        int compact = 0;
        int verbatim = 0;
        for (byte[] body : all) {
            storedAsWrittenBack(body);
            if (!new String(body, StandardCharsets.UTF_8).strip().contains("\n")) compact++;
            if (Verbatim.asWritten(body, MAPPER.readTree(body)) != null) verbatim++;
        }
        // Claude Code sends compact JSON, and every payload captured from it takes the short way; the
        // fixtures copied from the hooks reference are pretty-printed and are written back.
        assertThat(verbatim).isEqualTo(compact).isGreaterThan(all.size() * 3 / 4);
    }

    @Test
    void eachFormTheWriteBackChangesIsWrittenBack() throws Exception {
        String[] bodies = {
            "{\"session_id\": \"s\", \"hook_event_name\": \"Stop\"}",
            "{\"session_id\":\"s\",\"o\":{\"a\":[1,\n2]}}",
            "\uFEFF{\"session_id\":\"s\",\"hook_event_name\":\"Stop\"}",
            "{\"session_id\":\"s\",\"x\":\"caf\\u00e9 \\u001f\"}",
            "{\"session_id\":\"s\",\"x\":\"a\\/b\"}",
            "{\"session_id\":\"s\",\"x\":[1e3,2E-2,1.5e+2]}",
            "{\"session_id\":\"s\",\"x\":-0,\"y\":-0.0,\"z\":-0.5}",
            "{\"session_id\":\"s\",\"x\":0.0000001,\"y\":0.0000000,\"z\":0.000001}",
            "{\"session_id\":\"s\",\"x\":1,\"x\":2}",
            "{\"session_id\":\"s\",\"o\":{\"a\":1,\"b\":{\"a\":1,\"a\":3}}}",
        };
        for (String b : bodies) {
            byte[] body = b.getBytes(StandardCharsets.UTF_8);
            storedAsWrittenBack(body);
            assertThat(Verbatim.asWritten(body, MAPPER.readTree(body))).as(b).isNull();
        }
    }

    @Test
    void formsTheWriteBackKeepAreStoredAsSent() throws Exception {
        String[] bodies = {
            "{\"session_id\":\"s\",\"x\":[1,2.50,-3,100.0,0.000001,12345678901234567890123],\"t\":true,\"f\":false,\"n\":null}",
            "{\"session_id\":\"s\",\"x\":\"tab\\t nl\\n quote\\\" back\\\\ \\b\\f\\r é ✓ 𝄞\",\"e\":{},\"a\":[]}",
            " {\"session_id\":\"s\",\"hook_event_name\":\"Stop\"}\r\n",
            "{\"session_id\":\"s\",\"k:ey\":\"a:b\",\"o\":{\"a\":{\"b\":[{\"c\":1},{\"c\":2}]}}}",
        };
        for (String b : bodies) {
            byte[] body = b.getBytes(StandardCharsets.UTF_8);
            storedAsWrittenBack(body);
            assertThat(Verbatim.asWritten(body, MAPPER.readTree(body))).as(b).isNotNull();
        }
    }

    /** Random edits of real payloads: whatever still parses is stored as the write-back gives it. */
    @Test
    void mutatedPayloadsAreStoredAsTheWriteBackGivesThem() throws Exception {
        List<byte[]> all = fixtures();
        Random random = new Random(14);
        String[] inserts = {" ", "\n", "\\u0041", "\\/", "e5", "-0", "0.0000001", ",\"session_id\":\"dup\"", "1.50", "é"
        };
        int parsed = 0;
        for (int n = 0; n < 3000; n++) {
            String s = new String(all.get(random.nextInt(all.size())), StandardCharsets.UTF_8);
            int at = random.nextInt(s.length());
            String mutated = s.substring(0, at) + inserts[random.nextInt(inserts.length)] + s.substring(at);
            byte[] body = mutated.getBytes(StandardCharsets.UTF_8);
            String expected;
            try {
                expected = writtenBack(body);
                if (!MAPPER.readTree(body).isObject()) continue;
            } catch (Exception notJson) {
                continue;
            }
            parsed++;
            assertThat(ingest.hook(body).json()).as(mutated).isEqualTo(expected);
        }
        assertThat(parsed).isGreaterThan(500);
    }
}
