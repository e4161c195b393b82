package dev.solo.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.solo.core.support.MultiLocaleTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON reader and writer that identities and registry records go through. */
class JsonTest {

    private static void assertRoundTrip(Object value) {
        String written = Json.write(value);
        assertThat(Json.parse(written))
                .as("parse(write(%s)) = parse(%s)", value, written)
                .isEqualTo(value);
        assertThat(Json.write(Json.parse(written))).as("write is a fixpoint").isEqualTo(written);
    }

    @MultiLocaleTest
    void valuesRoundTrip() {
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("status", "running");
        identity.put("service", "solo-ocr");
        identity.put("port", 49500L);
        identity.put("pid", -1L);
        identity.put("uptime", 0L);
        identity.put("ratio", 0.25);
        identity.put("big", 1.0E20);
        identity.put("tiny", -2.5E-7);
        identity.put("ok", true);
        identity.put("no", false);
        identity.put("log", null);
        identity.put("list", new ArrayList<>(List.of(1L, "two", new ArrayList<>(), new LinkedHashMap<>())));
        assertRoundTrip(identity);
        assertRoundTrip(new ArrayList<>());
        assertRoundTrip("");
        assertRoundTrip(Long.MIN_VALUE + 1);
    }

    @MultiLocaleTest
    void stringsEscapeWhatMustBeEscapedAndKeepTheRest() {
        String nasty = "quote\" backslash\\ slash/ nl\n cr\r tab\t bell\u0007 nul\u0000 del\u007f"
                + " ls\u2028 ps\u2029 é 😀 \u0130\u0131";
        String written = Json.write(nasty);
        assertThat(written)
                .isEqualTo("\"quote\\\" backslash\\\\ slash/ nl\\n cr\\r tab\\t bell\\u0007 nul\\u0000 del\u007f"
                        + " ls\\u2028 ps\\u2029 é 😀 \u0130\u0131\"");
        assertThat(written).as("one line, whatever the input").doesNotContain("\n", "\r", "\u2028");
        assertRoundTrip(nasty);
    }

    @Test
    void readsStandardEscapesAndWhitespace() {
        assertThat(Json.parse(" \t\r\n{ \"a\" : [ 1 , -2 , 3.5e1 ] , \"b\":\"\\u00e9\\/\\b\\f\" } \n"))
                .isEqualTo(Map.of("a", List.of(1L, -2L, 35.0), "b", "é/\b\f"));
        assertThat(Json.parse("\"\\uD83D\\uDE00\"")).as("a surrogate pair").isEqualTo("😀");
        assertThat(Json.parse("12345678901234567890")).as("too long for a long").isEqualTo(1.2345678901234567E19);
        assertThat(Json.parse("-0")).isEqualTo(0L);
    }

    @Test
    void malformedInputIsAnIllegalArgumentWithTheOffset() {
        String[] bad = {
            "",
            " ",
            "{",
            "}",
            "[",
            "[1,",
            "[1,]",
            "[,1]",
            "{\"a\"}",
            "{\"a\":}",
            "{\"a\":1,}",
            "{a:1}",
            "{'a':1}",
            "\"open",
            "\"bad \\x escape\"",
            "\"\\u12\"",
            "\"\\u12g4\"",
            "\"\\u+041\"",
            "\"\\u-041\"",
            "\"tab\tin\"",
            "tru",
            "nul",
            "True",
            "NaN",
            "Infinity",
            "-",
            "--1",
            "1-2",
            "1.2.3",
            "+1",
            ".5",
            "1e",
            "0x10",
            "1e999",
            "-1e999",
            "{} {}",
            "[] x",
            "\u0000"
        };
        for (String text : bad) {
            assertThatThrownBy(() -> Json.parse(text))
                    .as("Json.parse(%s)", LineCodec.abbreviate(text))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("invalid JSON at offset ");
        }
    }

    @Test
    void nestingIsCappedSoHostileInputCannotOverflowTheStack() {
        String deepest = "[".repeat(33) + "]".repeat(33);
        assertThat(Json.parse(deepest)).isInstanceOf(List.class);
        String tooDeep = "[".repeat(34) + "]".repeat(34);
        assertThatThrownBy(() -> Json.parse(tooDeep)).hasMessageContaining("nesting deeper than 32");
        String hostile = "{\"a\":".repeat(100_000);
        assertThatThrownBy(() -> Json.parse(hostile))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nesting deeper than 32");
    }

    @Test
    void parseObjectWantsAnObject() {
        assertThat(Json.parseObject("{\"service\":\"x\"}")).containsEntry("service", "x");
        assertThatThrownBy(() -> Json.parseObject("[1]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected a JSON object, got ArrayList");
        assertThatThrownBy(() -> Json.parseObject("null")).hasMessage("expected a JSON object, got null");
    }

    @Test
    void duplicateKeysKeepTheLastValue() {
        assertThat(Json.parseObject("{\"user\":\"ada\",\"user\":\"mallory\"}")).containsEntry("user", "mallory");
    }

    @Test
    void writesOtherObjectsAsTheirStringAndKeysAsStrings() {
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put(1, Instant.parse("2026-11-20T09:00:00Z"));
        map.put("arr", Arrays.asList(null, 1.5f));
        assertThat(Json.write(map)).isEqualTo("{\"1\":\"2026-11-20T09:00:00Z\",\"arr\":[null,1.5]}");
    }
}
