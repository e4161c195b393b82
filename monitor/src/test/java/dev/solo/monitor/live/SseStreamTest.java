package dev.solo.monitor.live;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The SSE framing rules: one {@code data:} line per payload line, CR/LF never inside {@code id}. */
class SseStreamTest {

    private static String frame(String id, String data) {
        StringBuilder b = new StringBuilder();
        SseStream.frame(b, id, data);
        return b.toString();
    }

    @Test
    void aOneLinePayloadIsOneDataLine() {
        assertThat(frame("7", "{\"a\":1}")).isEqualTo("id: 7\ndata: {\"a\":1}\n\n");
    }

    @Test
    void everyKindOfLineBreakStartsANewDataLine() {
        assertThat(frame("8", "one\ntwo\r\nthree\rfour"))
                .isEqualTo("id: 8\ndata: one\ndata: two\ndata: three\ndata: four\n\n");
        assertThat(frame("9", "trailing\n")).isEqualTo("id: 9\ndata: trailing\ndata: \n\n");
    }

    @Test
    void lineBreaksAreStrippedFromTheId() {
        assertThat(frame("1\r\n2", "x")).isEqualTo("id: 12\ndata: x\n\n");
    }
}
