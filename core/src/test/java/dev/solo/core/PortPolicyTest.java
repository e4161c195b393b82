package dev.solo.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Port policies and ADR-007's range from the environment. */
class PortPolicyTest {
    private static final String START = PortPolicy.ENV_START;
    private static final String END = PortPolicy.ENV_END;

    private static PortPolicy.Range fromEnv(Map<String, String> env) {
        return PortPolicy.rangeFromEnvironment(env, 49500, 49550);
    }

    @Test
    void defaultsApplyWhenTheVariablesAreUnsetOrBlank() {
        assertThat(fromEnv(Map.of())).isEqualTo(new PortPolicy.Range(49500, 49550));
        assertThat(fromEnv(Map.of(START, "", END, "  "))).isEqualTo(new PortPolicy.Range(49500, 49550));
    }

    @Test
    void eachVariableOverridesItsEndAndIsTrimmed() {
        assertThat(fromEnv(Map.of(START, "49510"))).isEqualTo(new PortPolicy.Range(49510, 49550));
        assertThat(fromEnv(Map.of(END, " 49600 "))).isEqualTo(new PortPolicy.Range(49500, 49600));
        assertThat(fromEnv(Map.of(START, "1", END, "65535")).size()).isEqualTo(65535);
        assertThat(fromEnv(Map.of(START, "50000", END, "50000")).size())
                .as("one port is a range")
                .isEqualTo(1);
    }

    @Test
    void aValueThatIsNotANumberNamesTheVariableAndTheValue() {
        assertThatThrownBy(() -> fromEnv(Map.of(START, "49500x")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "SINGLEINSTANCE_PORT_START='49500x' is not a port number. Set it to a number from 1 to 65535,"
                                + " or unset it to use the default 49500.");
        assertThatThrownBy(() -> fromEnv(Map.of(END, "fifty")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("SINGLEINSTANCE_PORT_END='fifty' is not a port number")
                .hasMessageEndingWith("default 49550.");
        assertThatThrownBy(() -> fromEnv(Map.of(START, "99999999999")))
                .hasMessageStartingWith("SINGLEINSTANCE_PORT_START='99999999999' is not a port number");
    }

    @Test
    void aNumberOutsideThePortsNamesTheVariableAndTheValue() {
        assertThatThrownBy(() -> fromEnv(Map.of(START, "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("SINGLEINSTANCE_PORT_START=0 is outside 1..65535. Set it to a port from 1 to 65535,"
                        + " or unset it to use the default 49500.");
        assertThatThrownBy(() -> fromEnv(Map.of(END, "65536")))
                .hasMessageStartingWith("SINGLEINSTANCE_PORT_END=65536 is outside 1..65535");
        assertThatThrownBy(() -> fromEnv(Map.of(START, "-1"))).hasMessageStartingWith("SINGLEINSTANCE_PORT_START=-1");
    }

    @Test
    void anEmptyRangeNamesBothVariables() {
        assertThatThrownBy(() -> fromEnv(Map.of(START, "49600")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("SINGLEINSTANCE_PORT_END=49550 is below SINGLEINSTANCE_PORT_START=49600: the port range is"
                        + " empty. Set SINGLEINSTANCE_PORT_END to a port >= 49600.");
        assertThat(new ConfigException("x")).isInstanceOf(SoloException.class);
    }

    @Test
    void policiesValidateAtOnce() {
        assertThatThrownBy(() -> PortPolicy.fixed(0)).hasMessage("port must be 1..65535, got 0");
        assertThatThrownBy(() -> PortPolicy.range(10, 9)).hasMessage("range end must be 10..65535, got 9");
        assertThatThrownBy(() -> PortPolicy.range(0, 9)).hasMessage("range start must be 1..65535, got 0");
        assertThat(PortPolicy.fixed(8765)).satisfies(p -> {
            assertThat(p.first()).isEqualTo(8765);
            assertThat(p.last()).isEqualTo(8765);
        });
        assertThat(PortPolicy.range(49500, 49550).toString()).isEqualTo("ports 49500-49550");
        assertThat(PortPolicy.ephemeral().first()).isZero();
    }
}
