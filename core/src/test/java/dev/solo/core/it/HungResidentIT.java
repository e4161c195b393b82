package dev.solo.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.solo.core.ClaimResult;
import dev.solo.core.FallbackPolicy;
import dev.solo.core.Outcome;
import dev.solo.core.PortPolicy;
import dev.solo.core.Protocol;
import dev.solo.core.Registry;
import dev.solo.core.SingleInstance;
import dev.solo.core.internal.Platform;
import dev.solo.core.testapp.FixedHttpService;
import dev.solo.core.testapp.LineResident;
import dev.solo.testing.Child;
import dev.solo.testing.Children;
import dev.solo.testing.Ports;
import dev.solo.testing.Signals;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our own service, frozen with {@code SIGSTOP}: its port still accepts connections (the kernel's
 * backlog) but nobody answers. A second start must neither reuse it nor call it foreign: it waits the
 * start-up grace, then reports it hung, with its pid and how to stop it, and exits 1. Once the
 * service is thawed, the next start reuses it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HungResidentIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    final Children children = new Children();

    @TempDir
    Path dir;

    /** A line-protocol resident of a range, stopped: inspect() says hung, and a delegation does not wait for it. */
    @Test
    void aFrozenLineResidentIsHungForInspectAndNoResidentForAClient() throws Exception {
        assumeFalse(Platform.isWindows(), "needs SIGSTOP");
        Path home = dir.resolve("solo-home");
        int start = Ports.freeRange(3);
        Child resident =
                children.start(LineResident.class, home, "--range", String.valueOf(start), String.valueOf(start + 2));
        assertThat(resident.awaitLineStartingWith("CLAIMED ", WAIT)).isEqualTo("CLAIMED " + start);

        Signals.stop(resident.pid());
        try {
            SingleInstance app = SingleInstance.builder(LineResident.SERVICE)
                    .policy(PortPolicy.range(start, start + 2))
                    .registry(Registry.at(home))
                    .startWait(Duration.ofSeconds(1))
                    .build();
            Optional<ClaimResult> holder = app.inspect();
            assertThat(holder).get().isInstanceOf(ClaimResult.Hung.class);
            assertThat(holder.get().message()).contains("pid " + resident.pid()).contains("kill " + resident.pid());

            long before = System.nanoTime();
            Outcome o = app.tryRunOnce("STDOUT", null, null);
            assertThat(FallbackPolicy.DEFAULT.runStandalone(o))
                    .as("a stopped resident is no resident: %s", o.message())
                    .isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - before))
                    .as("the client waited probe timeouts, not its five-minute answer timeout")
                    .isLessThan(Duration.ofSeconds(30));
            assertThat(Registry.at(home).records())
                    .as("the stopped resident keeps its record")
                    .hasSize(1);
        } finally {
            Signals.resume(resident.pid());
        }
    }

    @Test
    void frozenServiceIsReportedHungThenReusedWhenThawed() throws Exception {
        assumeFalse(Platform.isWindows(), "needs SIGSTOP");
        Path home = dir.resolve("solo-home");
        int port = Ports.free();
        Child service = children.start(FixedHttpService.class, home, "--default-port", String.valueOf(port));
        service.awaitLineStartingWith("Monitor running on port ", WAIT);

        Signals.stop(service.pid());
        Child second = children.start(FixedHttpService.class, home, "--default-port", String.valueOf(port));

        assertThat(second.awaitExit(WAIT)).as(second.dump()).isEqualTo(1);
        assertThat(second.stdout()).isEmpty();
        assertThat(second.stderr()).as(second.dump()).hasSize(4);
        assertThat(second.stderr().subList(0, 3))
                .containsExactly(
                        "Error: Default port " + port + " is already in use by another service.",
                        "Please stop the existing service with 'solo monitor stop'",
                        "or specify a different port with --port.");
        long pid = service.pid();
        assertThat(second.stderr().get(3))
                .matches("solo-monitor \\(pid " + pid + "\\) holds port " + port + " but did not answer within \\d+"
                        + " ms\\. Stop it with 'kill " + pid + "' \\(or 'kill -9 " + pid
                        + "' if that does not help\\) and try again\\.");
        assertThat(Registry.at(home).records())
                .as("the frozen service keeps its record")
                .hasSize(1);
        // stop/status ask inspect(): hung, with the pid to stop, never "not running"
        Optional<ClaimResult> holder = SingleInstance.builder("solo-monitor")
                .protocol(Protocol.HTTP)
                .policy(PortPolicy.fixed(port))
                .registry(Registry.at(home))
                .startWait(Duration.ofSeconds(1))
                .build()
                .inspect();
        assertThat(holder).get().isInstanceOf(ClaimResult.Hung.class);
        assertThat(((ClaimResult.Hung) holder.get()).record().pid()).isEqualTo(service.pid());
        assertThat(Registry.at(home).live())
                .as("solo list keeps it, not answering")
                .singleElement()
                .satisfies(l -> assertThat(l.answering()).isFalse());

        Signals.resume(service.pid());
        Child third = children.start(FixedHttpService.class, home, "--default-port", String.valueOf(port));

        assertThat(third.awaitExit(WAIT)).as(third.dump()).isZero();
        assertThat(third.stdout()).containsExactly("Monitor already running at http://localhost:" + port);
    }
}
