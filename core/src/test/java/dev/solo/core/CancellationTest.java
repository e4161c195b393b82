package dev.solo.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Cancellation}'s contract without sockets; {@link ClientGoneContract} has the real connections. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CancellationTest {
    @Test
    void actionsRunOnceWhenTheClientGoesAndAtOnceWhenItHasGone() {
        Cancellation c = new Cancellation();
        List<String> ran = new ArrayList<>();
        c.onCancel(() -> ran.add("first"));
        assertThat(c.isCancelled()).isFalse();
        c.cancel();
        c.cancel();
        assertThat(c.isCancelled()).isTrue();
        assertThat(ran).containsExactly("first");
        c.onCancel(() -> ran.add("late"));
        assertThat(ran).containsExactly("first", "late");
    }

    @Test
    void nothingIsSignalledOrRunOnceTheHandlerHasReturned() {
        Cancellation c = new Cancellation();
        List<String> ran = new ArrayList<>();
        c.onCancel(() -> ran.add("registered"));
        c.end();
        c.cancel();
        c.onCancel(() -> ran.add("after the end"));
        assertThat(c.isCancelled()).isFalse();
        assertThat(ran).isEmpty();
    }

    @Test
    void askingMarksTheConnectionWorthWatching() {
        Cancellation quiet = new Cancellation();
        assertThat(quiet.asked()).isFalse();
        assertThat(quiet.cancelledQuietly()).isFalse();
        assertThat(quiet.asked()).as("the package's own look does not count").isFalse();
        Cancellation asking = new Cancellation();
        asking.isCancelled();
        assertThat(asking.asked()).isTrue();
        Cancellation registering = new Cancellation();
        registering.onCancel(() -> {});
        assertThat(registering.asked()).isTrue();
    }

    @Test
    void aFailingActionDoesNotStopTheOthers() {
        Cancellation c = new Cancellation();
        List<String> ran = new ArrayList<>();
        c.onCancel(() -> {
            throw new IllegalStateException("an action that fails");
        });
        c.onCancel(() -> ran.add("second"));
        c.cancel();
        assertThat(ran).containsExactly("second");
    }

    @Test
    void theEndWaitsForAnActionThatIsRunning() throws Exception {
        Cancellation c = new Cancellation();
        CountDownLatch inAction = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        c.onCancel(() -> {
            inAction.countDown();
            try {
                letGo.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            order.add("action done");
        });
        Thread sweeper = new Thread(c::cancel, "fake-sweeper");
        sweeper.start();
        assertThat(inAction.await(10, TimeUnit.SECONDS)).isTrue();
        Thread handler = new Thread(
                () -> {
                    c.end();
                    order.add("ended");
                },
                "fake-handler");
        handler.start();
        letGo.countDown();
        handler.join(10_000);
        sweeper.join(10_000);
        assertThat(order).containsExactly("action done", "ended");
    }

    @Test
    void neverIsNeverCancelledAndKeepsNoActions() {
        Cancellation never = Cancellation.never();
        List<String> ran = new ArrayList<>();
        never.onCancel(() -> ran.add("never"));
        never.cancel();
        assertThat(never.isCancelled()).isFalse();
        assertThat(ran).isEmpty();
        assertThat(new Request("X", null, null).cancellation()).isSameAs(never);
    }
}
