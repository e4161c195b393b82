package dev.solo.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.solo.core.InstanceRecord;
import dev.solo.core.Registry;
import dev.solo.core.internal.Platform;
import dev.solo.core.testapp.LineResident;
import dev.solo.testing.Child;
import dev.solo.testing.Children;
import dev.solo.testing.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * 32 child processes claim the same service at the same moment: exactly one becomes the resident,
 * the other 31 find it and name its pid, and nobody reports anything else. The claimers start, load
 * the core's classes, print {@code READY} and block on stdin; when all are ready the test writes
 * {@code go} to every one, which releases them within microseconds of each other.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS) // 32 JVMs on two cores, per round
class ClaimRaceIT {
    private static final int CLAIMERS = 32;
    private static final Duration STARTUP = Duration.ofSeconds(180);
    private static final Duration RACE = Duration.ofSeconds(90);

    @RegisterExtension
    final Children children = new Children();

    @TempDir
    Path dir;

    @RepeatedTest(value = 5, name = "range policy, round {currentRepetition} of {totalRepetitions}")
    void rangePolicyYieldsOneResident() {
        int start = Ports.freeRange(4);
        race(start, "--range", String.valueOf(start), String.valueOf(start + 3));
    }

    @RepeatedTest(value = 5, name = "fixed policy, round {currentRepetition} of {totalRepetitions}")
    void fixedPolicyYieldsOneResident() {
        int port = Ports.free();
        race(port, "--port", String.valueOf(port));
    }

    private void race(int expectedPort, String... policy) {
        Path home = dir.resolve("solo-home");
        Registry registry = Registry.at(home);
        List<String> args = new ArrayList<>(List.of(policy));
        args.add("--wait-go");
        // A loser that finds the winner still starting waits up to 60 s for it, and each probe waits up to
        // 15 s for an answer (the code's own deadlines). With 32 JVMs on two busy cores the winner may need
        // more than the defaults (10 s, 1 s) to answer, and a loser would rightly call it STARTING, HUNG or
        // silent; the race is about how many win, not how fast the winner starts.
        args.addAll(List.of("--start-wait", "60", "--probe-timeout", "15"));

        List<Child> claimers = new ArrayList<>();
        for (int i = 0; i < CLAIMERS; i++) {
            claimers.add(children.start(LineResident.class, home, args.toArray(String[]::new)));
        }
        long readyBy = System.nanoTime() + STARTUP.toNanos();
        for (Child c : claimers) c.awaitLine("READY"::equals, left(readyBy), "READY");

        for (Child c : claimers) c.sendLine("go");

        long resultBy = System.nanoTime() + RACE.toNanos();
        Map<Child, String> results = new LinkedHashMap<>();
        for (Child c : claimers) {
            results.put(c, c.awaitLine(l -> !l.equals("READY"), left(resultBy), "a claim result line"));
        }

        List<Child> winners = new ArrayList<>();
        results.forEach((c, line) -> {
            if (line.startsWith("CLAIMED ")) winners.add(c);
        });
        assertThat(winners)
                .as("claimers that report CLAIMED\n%s", children.dumpAll())
                .hasSize(1);
        Child winner = winners.get(0);
        assertThat(results.get(winner)).isEqualTo("CLAIMED " + expectedPort);

        String running = "RUNNING " + expectedPort + " " + winner.pid();
        for (Child c : claimers) {
            if (c == winner) continue;
            assertThat(results.get(c)).as(c.dump()).isEqualTo(running);
        }
        for (Child c : claimers) {
            if (c == winner) continue;
            assertThat(c.awaitExit(RACE)).as(c.dump()).isZero();
            assertThat(c.stdout()).as(c.dump()).containsExactly("READY", running);
            assertThat(c.stderr()).as(c.dump()).isEmpty();
        }
        assertThat(winner.isAlive()).as(winner.dump()).isTrue();
        assertThat(registry.records())
                .as("the registry holds the winner's record only")
                .extracting(InstanceRecord::pid, InstanceRecord::port)
                .containsExactly(tuple(winner.pid(), expectedPort));

        winner.closeStdin();
        assertThat(winner.awaitExit(RACE)).as(winner.dump()).isZero();
        assertThat(winner.stdout()).containsExactly("READY", "CLAIMED " + expectedPort);
        assertThat(winner.stderr()).as(winner.dump()).isEmpty();
        assertThat(registry.records()).isEmpty();
        assertThat(Ports.bindFailure(Platform.LOOPBACK_V4, expectedPort)).isNull();
    }

    private static Duration left(long deadlineNanos) {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }
}
