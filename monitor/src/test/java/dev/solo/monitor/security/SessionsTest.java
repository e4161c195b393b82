package dev.solo.monitor.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Login codes and dashboard sessions against a clock the test moves. */
class SessionsTest {
    /** A clock that moves only when told. */
    static final class Manual extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final Manual clock = new Manual();
    final Sessions sessions = new Sessions(clock);

    String session(String code, String print) {
        return ((Sessions.Granted) sessions.redeem(code, print)).session();
    }

    @Test
    void aCodeWorksOnceAndGivesASessionThatIsNotTheCode() {
        String code = sessions.mintCode("t1");
        assertThat(code).matches("[A-Za-z0-9_-]{43}");
        String s = session(code, "t1");
        assertThat(s).isNotEqualTo(code).matches("[A-Za-z0-9_-]{43}");
        assertThat(sessions.valid(s, "t1")).isTrue();
        assertThat(sessions.redeem(code, "t1"))
                .isInstanceOfSatisfying(
                        Sessions.Refused.class,
                        r -> assertThat(r.message()).contains("used already").contains("solo monitor open"));
        assertThat(sessions.redeem("made-up-code-0123456789", "t1")).isInstanceOf(Sessions.Refused.class);
        assertThat(sessions.redeem(null, "t1")).isInstanceOf(Sessions.Refused.class);
        assertThat(sessions.valid(code, "t1")).isFalse();
    }

    @Test
    void aCodeExpiresAfterSixtySeconds() {
        String late = sessions.mintCode("t1");
        String inTime = sessions.mintCode("t1");
        clock.advance(Duration.ofSeconds(59));
        assertThat(sessions.redeem(inTime, "t1")).isInstanceOf(Sessions.Granted.class);
        clock.advance(Duration.ofSeconds(1));
        assertThat(sessions.redeem(late, "t1")).isInstanceOf(Sessions.Refused.class);
    }

    @Test
    void rotatingTheTokenEndsSessionsAndCodes() {
        String s = session(sessions.mintCode("t1"), "t1");
        String code = sessions.mintCode("t1");
        assertThat(sessions.valid(s, "t2")).isFalse();
        assertThat(sessions.valid(s, "t1")).isFalse(); // forgotten for good
        assertThat(sessions.redeem(code, "t2")).isInstanceOf(Sessions.Refused.class);
    }

    @Test
    void aSessionExpiresWhenIdleAndAtItsMaximumAge() {
        String s = session(sessions.mintCode("t"), "t");
        clock.advance(Sessions.IDLE.minusSeconds(1));
        assertThat(sessions.valid(s, "t")).isTrue(); // use renews it
        clock.advance(Sessions.IDLE.minusSeconds(1));
        assertThat(sessions.alive(s, "t")).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(sessions.valid(s, "t")).isFalse();

        String busy = session(sessions.mintCode("t"), "t");
        for (Duration used = Duration.ZERO; used.compareTo(Sessions.MAX_AGE) < 0; used = used.plusHours(6)) {
            assertThat(sessions.valid(busy, "t")).as("after %s", used).isTrue();
            clock.advance(Duration.ofHours(6));
        }
        assertThat(sessions.valid(busy, "t")).isFalse();
    }

    @Test
    void sessionsAndWaitingCodesAreBounded() {
        Set<String> all = new HashSet<>();
        for (int i = 0; i < Sessions.MAX_SESSIONS + 10; i++) all.add(session(sessions.mintCode("t"), "t"));
        assertThat(all).hasSize(Sessions.MAX_SESSIONS + 10);
        assertThat(sessions.count()).isEqualTo(Sessions.MAX_SESSIONS);
        String first = sessions.mintCode("t");
        for (int i = 0; i < Sessions.MAX_CODES; i++) sessions.mintCode("t");
        assertThat(sessions.redeem(first, "t")).isInstanceOf(Sessions.Refused.class);
    }
}
