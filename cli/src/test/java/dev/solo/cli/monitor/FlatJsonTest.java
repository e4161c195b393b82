package dev.solo.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class FlatJsonTest {
    @Test
    void countsOfAStatusAnswer() throws IOException {
        String json = "{\"status\":\"running\",\"service\":\"solo-monitor\",\"version\":\"0.1\",\"port\":8765,"
                + "\"pid\":12,\"uptime\":3,\"user\":\"a\\\"b\",\"name\":\"\",\"started\":\"2026-11-30T06:00:00Z\","
                + "\"streams\":4,\"events\":123456789012,\"last_event_id\":9,\"database\":\"/x/y.db\",\"sessions\":0}";
        assertThat(MonitorHttp.counts(json)).isEqualTo(new MonitorHttp.Counts(4, 123456789012L));
    }

    @Test
    void skipsNestedValuesEscapesAndWhiteSpace() throws IOException {
        String json = " {\n \"a\" : [1, {\"streams\": 99}, \"x\\u0041\"], \"b\": {\"events\": 7, \"c\": [[]]},"
                + " \"str\\u0065ams\" : 2 , \"events\" : -1, \"t\": true, \"n\": null, \"f\": 1.5e3 } ";
        assertThat(MonitorHttp.counts(json)).isEqualTo(new MonitorHttp.Counts(2, -1));
    }

    @Test
    void missingOrNotWholeNumbersAreMinusOne() throws IOException {
        assertThat(MonitorHttp.counts("{}")).isEqualTo(new MonitorHttp.Counts(-1, -1));
        assertThat(MonitorHttp.counts("{\"streams\":1.5,\"events\":\"3\"}")).isEqualTo(new MonitorHttp.Counts(-1, -1));
        assertThat(MonitorHttp.counts("{\"streams\":99999999999999999999,\"events\":[1]}"))
                .isEqualTo(new MonitorHttp.Counts(-1, -1));
    }

    @Test
    void notAnObjectIsAnErrorThatSaysWhere() {
        assertThatThrownBy(() -> MonitorHttp.counts("<html>busy</html>"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("offset 0")
                .hasMessageContaining("<html>");
        assertThatThrownBy(() -> MonitorHttp.counts("{\"streams\":1")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> MonitorHttp.counts("{\"a\":\"unterminated}")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> MonitorHttp.counts("[".repeat(100) + "]".repeat(100)))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> MonitorHttp.counts("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("less nesting");
    }

    @Test
    void loginCodesAreCheckedWithoutARegex() {
        assertThat(MonitorHttp.wellFormedCode("abcdefghijklmnop")).isTrue();
        assertThat(MonitorHttp.wellFormedCode("A-_9".repeat(32))).isTrue();
        assertThat(MonitorHttp.wellFormedCode("short")).isFalse();
        assertThat(MonitorHttp.wellFormedCode("a".repeat(129))).isFalse();
        assertThat(MonitorHttp.wellFormedCode("abcdefghijklmno!")).isFalse();
        assertThat(MonitorHttp.wellFormedCode("abcdefghijklmnö1")).isFalse();
    }
}
