package dev.solo.monitor.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.core.Registry;
import dev.solo.monitor.security.Guard.Credential;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which credential an Authorization header carries; no server, no sockets. */
class GuardTest {
    @TempDir
    Path home;

    @Test
    void tellsTheTokenTheIngestKeyAndASessionApartAndNothingElse() {
        Registry registry = Registry.at(home);
        String token = registry.token().value();
        String key = IngestKey.loadOrCreate(home).value();
        Guard guard = new Guard(registry, Set.of(), 8765, Clock.systemUTC());
        assertThat(guard.credential("Bearer " + token)).isEqualTo(Credential.TOKEN);
        assertThat(guard.credential("bearer  " + token + " ")).isEqualTo(Credential.TOKEN);
        assertThat(guard.credential("Bearer " + key)).isEqualTo(Credential.INGEST_KEY);
        assertThat(guard.credential(null)).isEqualTo(Credential.NONE);
        assertThat(guard.credential("Bearer " + "0".repeat(64))).isEqualTo(Credential.NONE);
        assertThat(guard.credential("Bearer " + IngestKey.PREFIX + "0".repeat(64)))
                .isEqualTo(Credential.NONE);
        assertThat(guard.credential("Basic " + token)).isEqualTo(Credential.NONE);
        assertThat(guard.credential(token)).isEqualTo(Credential.NONE);
        assertThat(guard.credential("Session " + token)).isEqualTo(Credential.NONE); // the token is no session
        assertThat(guard.credential("Bearer " + key.substring(IngestKey.PREFIX.length())))
                .isEqualTo(Credential.NONE);

        String code = guard.mintLoginCode();
        assertThat(guard.credential("Bearer " + code)).isEqualTo(Credential.NONE);
        assertThat(guard.credential("Session " + code)).isEqualTo(Credential.NONE);
        // a code turns into a session only through POST /api/session, from a connection of this user:
        // AccessTest runs that over a real socket
    }

    @Test
    void aLoginCodeFromAConnectionTheKernelDoesNotListIsRefusedOnLinux() {
        org.junit.jupiter.api.Assumptions.assumeTrue(PeerUser.supported(), "only Linux tells a peer's user");
        Guard guard = new Guard(Registry.at(home), Set.of(), 8765, Clock.systemUTC());
        String code = guard.mintLoginCode();
        InetSocketAddress nowhere = new InetSocketAddress(InetAddress.getLoopbackAddress(), 1);
        assertThat(guard.redeem(code, nowhere, nowhere))
                .isInstanceOfSatisfying(
                        Sessions.Refused.class,
                        r -> assertThat(r.message()).contains("of the user who runs this monitor"));
    }

    /**
     * A rotation while a Claude Code session runs: the session re-reads its rewritten settings a moment
     * later, and its hooks in between carried the old key (8 of 68 events were refused with the real CLI).
     */
    @Test
    void aRotatedOutIngestKeyStillAppendsForTheGraceThenNoMore() {
        SessionsTest.Manual clock = new SessionsTest.Manual();
        Registry registry = Registry.at(home);
        String old = IngestKey.loadOrCreate(home).value();
        Guard guard = new Guard(registry, Set.of(), 8765, clock);
        assertThat(guard.credential("Bearer " + old)).isEqualTo(Credential.INGEST_KEY);
        String current = IngestKey.rotate(home).value();
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .until(() -> guard.credential("Bearer " + current) == Credential.INGEST_KEY);
        assertThat(guard.credential("Bearer " + old)).isEqualTo(Credential.INGEST_KEY);
        clock.advance(Guard.KEY_GRACE.minusMillis(1));
        assertThat(guard.credential("Bearer " + old)).isEqualTo(Credential.INGEST_KEY);
        clock.advance(java.time.Duration.ofMillis(1));
        assertThat(guard.credential("Bearer " + old)).isEqualTo(Credential.NONE);
        assertThat(guard.credential("Bearer " + current)).isEqualTo(Credential.INGEST_KEY);
        assertThat(guard.credential("Bearer " + registry.token().value())).isEqualTo(Credential.TOKEN);
    }
}
