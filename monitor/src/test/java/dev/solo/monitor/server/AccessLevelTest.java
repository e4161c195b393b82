package dev.solo.monitor.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.monitor.security.Guard.Credential;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The capability table: which credential opens which level, and nothing more. */
class AccessLevelTest {
    @Test
    void eachLevelOpensToItsCredentialsOnly() {
        Map<Access, Set<Credential>> opens = Map.of(
                Access.PUBLIC, EnumSet.allOf(Credential.class),
                Access.INGEST, EnumSet.of(Credential.INGEST_KEY, Credential.TOKEN),
                Access.DASHBOARD, EnumSet.of(Credential.SESSION, Credential.TOKEN),
                Access.ADMIN, EnumSet.of(Credential.TOKEN));
        for (Access a : Access.values()) {
            for (Credential c : Credential.values()) {
                assertThat(a.grants(c))
                        .as(a + " for " + c)
                        .isEqualTo(opens.get(a).contains(c));
            }
        }
    }
}
