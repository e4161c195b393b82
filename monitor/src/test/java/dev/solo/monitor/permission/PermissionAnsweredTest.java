package dev.solo.monitor.permission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.solo.monitor.derive.Summary;
import dev.solo.monitor.store.NewEvent;
import dev.solo.monitor.store.StoredEvent;
import org.junit.jupiter.api.Test;

/** The monitor's record of a prompt answered on the page: in the request's stream, with the decision. */
class PermissionAnsweredTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static StoredEvent stored(NewEvent e, long id) {
        return new StoredEvent(
                id, 0, e.stream(), e.event(), e.tool(), e.toolUseId(), e.agentId(), e.file(), e.source(), 0, e.json());
    }

    @Test
    void recordsTheDecisionForTheRequestsStream() throws Exception {
        StoredEvent request = PermissionDeskTest.request("s1");
        NewEvent e = PermissionAnswered.of(request, PermissionDesk.decision("deny", "not in README"));
        assertThat(e.stream()).isEqualTo("s1");
        assertThat(e.event()).isEqualTo("PermissionAnswered");
        assertThat(e.source()).isEqualTo("monitor");
        assertThat(e.tool()).isEqualTo("Write");
        assertThat(e.file()).isNull(); // not a file access
        assertThat(e.notice()).isNull(); // not a wait: it ends one
        JsonNode p = JSON.readTree(e.json());
        assertThat(p.path("request_event_id").asLong()).isEqualTo(7);
        assertThat(p.path("answered_by").asText()).isEqualTo("dashboard");
        assertThat(p.at("/decision/behavior").asText()).isEqualTo("deny");
        assertThat(p.at("/decision/message").asText()).isEqualTo("not in README");
        assertThat(Summary.of(stored(e, 8))).isEqualTo("Write: denied from the dashboard: not in README");
        NewEvent allowed = PermissionAnswered.of(request, PermissionDesk.decision("allow", null));
        assertThat(Summary.of(stored(allowed, 9))).isEqualTo("Write: allowed from the dashboard");
    }

    @Test
    void aBodyThatIsNoDecisionIsRefused() {
        StoredEvent request = PermissionDeskTest.request("s1");
        assertThatThrownBy(() -> PermissionAnswered.of(request, ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a PermissionRequest decision");
        assertThatThrownBy(() -> PermissionAnswered.of(request, "{\"hookSpecificOutput\":{}}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a PermissionRequest decision: {\"hookSpecificOutput\":{}}");
    }
}
