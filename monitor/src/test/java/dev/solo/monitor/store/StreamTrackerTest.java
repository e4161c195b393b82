package dev.solo.monitor.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** §6: a generic Notification after a PermissionRequest keeps the specific reason and the first time. */
class StreamTrackerTest {
    static NewEvent e(String name, String notice) {
        return new NewEvent(
                "s",
                name,
                name.equals("PermissionRequest") ? "Write" : null,
                null,
                null,
                null,
                null,
                null,
                null,
                notice,
                "hook",
                0,
                "{}");
    }

    @Test
    void theMostSpecificDetailAndTheFirstTimeWin() {
        StreamInfo s = StreamTracker.apply(null, e("UserPromptSubmit", null), 1000);
        s = StreamTracker.apply(s, e("PermissionRequest", "Permission needed for Write"), 64_047_000);
        s = StreamTracker.apply(s, e("Notification", "Claude needs your permission"), 64_053_000);
        assertThat(s.waitingReason()).isEqualTo("Permission needed for Write");
        assertThat(s.waitingSince()).isEqualTo(64_047_000);
        // the other way round: the prompt upgrades the detail, the time stays the first
        StreamInfo t = StreamTracker.apply(null, e("Notification", "Claude needs your permission"), 10);
        t = StreamTracker.apply(t, e("PermissionRequest", "Permission needed for Write"), 20);
        assertThat(t.waitingReason()).isEqualTo("Permission needed for Write");
        assertThat(t.waitingSince()).isEqualTo(10);
        // answered: the next real event ends the wait; a passive one does not
        assertThat(StreamTracker.apply(s, e("MessageDisplay", null), 64_054_000).waitingReason())
                .isNotNull();
        assertThat(StreamTracker.apply(s, e("PostToolUse", null), 64_054_000).waitingReason())
                .isNull();
        // answered on the page: the monitor's own record ends the wait at once
        assertThat(StreamTracker.apply(s, e("PermissionAnswered", null), 64_054_000)
                        .waitingReason())
                .isNull();
    }

    @Test
    void anOlderImportedEventDoesNotChangeTheCurrentState() {
        StreamInfo s = StreamTracker.apply(null, e("PermissionRequest", "Permission needed for Write"), 5000);
        StreamInfo after = StreamTracker.apply(s, e("PostToolUse", null), 1000);
        assertThat(after.waitingReason()).isEqualTo("Permission needed for Write");
        assertThat(after.firstMillis()).isEqualTo(1000);
        assertThat(after.lastMillis()).isEqualTo(5000);
    }
}
