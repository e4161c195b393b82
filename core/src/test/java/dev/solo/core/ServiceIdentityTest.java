package dev.solo.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.solo.core.internal.Json;
import dev.solo.core.support.MultiLocaleTest;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The identity that HELLO and /health carry, to and from its JSON form. */
class ServiceIdentityTest {
    private static final Instant STARTED = Instant.parse("2026-11-20T09:00:00.123456789Z");

    private static ServiceIdentity identity(ServiceIdentity.State state) {
        return new ServiceIdentity("solo-ocr", "0.1.0", 4242, "ada", "3f9c0a1b2c4d", STARTED, 49500, "", state);
    }

    @MultiLocaleTest
    void roundTripsThroughJson() {
        for (ServiceIdentity.State state : ServiceIdentity.State.values()) {
            ServiceIdentity id = identity(state);
            String json = id.toJson(STARTED.plusSeconds(73));
            assertThat(json).as("one line").doesNotContain("\n");
            assertThat(ServiceIdentity.fromJson(json)).isEqualTo(id);
        }
        ServiceIdentity named = new ServiceIdentity(
                "solo-monitor", "v\"2\"", 1, "Dž İı", "i", Instant.EPOCH, 65535, "work", ServiceIdentity.State.BUSY);
        assertThat(ServiceIdentity.fromJson(named.toJson(Instant.EPOCH))).isEqualTo(named);
    }

    @Test
    void theJsonHasTheDocumentedFieldsInOrder() {
        String json = identity(ServiceIdentity.State.IDLE).toJson(STARTED.plusSeconds(73));
        assertThat(json)
                .isEqualTo("{\"status\":\"running\",\"service\":\"solo-ocr\",\"version\":\"0.1.0\",\"port\":49500,"
                        + "\"pid\":4242,\"uptime\":73,\"user\":\"ada\",\"instance\":\"3f9c0a1b2c4d\",\"name\":\"\","
                        + "\"started\":\"2026-11-20T09:00:00.123456789Z\",\"state\":\"idle\",\"protocol\":2}");
        Map<String, Object> beforeStart = identity(ServiceIdentity.State.IDLE).toMap(STARTED.minusSeconds(5));
        assertThat(beforeStart).as("uptime never negative").containsEntry("uptime", 0L);
    }

    @Test
    void missingOptionalFieldsGetNeutralValues() {
        ServiceIdentity id = ServiceIdentity.fromJson("{\"service\":\"grafana\"}");
        assertThat(id.service()).isEqualTo("grafana");
        assertThat(id.pid()).isEqualTo(-1);
        assertThat(id.port()).isZero();
        assertThat(id.user()).isEmpty();
        assertThat(id.name()).isEmpty();
        assertThat(id.started()).isEqualTo(Instant.EPOCH);
        assertThat(id.state()).isEqualTo(ServiceIdentity.State.IDLE);
    }

    @Test
    void toleratesOddTypesAndClampsThePort() {
        ServiceIdentity id = ServiceIdentity.fromJson(
                "{\"service\":\"x\",\"version\":2,\"pid\":\"12\",\"port\":99999999,\"state\":\"BUSY\",\"extra\":[1]}");
        assertThat(id.version()).isEqualTo("2");
        assertThat(id.pid()).as("a pid that is not a number").isEqualTo(-1);
        assertThat(id.port()).isEqualTo(65535);
        assertThat(id.state()).as("only the wire form 'busy' is busy").isEqualTo(ServiceIdentity.State.IDLE);
        assertThat(ServiceIdentity.fromJson("{\"service\":\"x\",\"port\":-5}").port())
                .isZero();
    }

    @Test
    void anIdentityWithoutServiceIsRejected() {
        for (String json : new String[] {"{}", "{\"service\":\"\"}", "{\"service\":7}", "{\"service\":null}"}) {
            assertThatThrownBy(() -> ServiceIdentity.fromJson(json))
                    .as(json)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("identity has no \"service\" field");
        }
    }

    @Test
    void aBadStartTimeIsRejectedWithTheValue() {
        assertThatThrownBy(() -> ServiceIdentity.fromJson("{\"service\":\"x\",\"started\":\"yesterday\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("identity has a bad \"started\" time: yesterday");
    }

    @Test
    void malformedJsonIsAnIllegalArgument() {
        assertThatThrownBy(() -> ServiceIdentity.fromJson("{\"service\":"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServiceIdentity.fromJson("[]")).hasMessageContaining("expected a JSON object");
    }

    @Test
    void theConstructorChecksThePort() {
        assertThatThrownBy(() -> new ServiceIdentity(
                        "solo-ocr",
                        "0.1.0",
                        4242,
                        "ada",
                        "3f9c0a1b2c4d",
                        STARTED,
                        65536,
                        "",
                        ServiceIdentity.State.IDLE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port must be 0..65535, got 65536");
        assertThat(new ServiceIdentity(
                                "solo-ocr",
                                "0.1.0",
                                4242,
                                "ada",
                                "3f9c0a1b2c4d",
                                STARTED,
                                0,
                                "",
                                ServiceIdentity.State.IDLE)
                        .port())
                .isZero();
    }

    @Test
    void writesWithTheSharedJsonWriter() {
        assertThat(Json.parseObject(identity(ServiceIdentity.State.BUSY).toJson(STARTED)))
                .containsEntry("state", "busy")
                .containsEntry("protocol", 2L);
    }
}
