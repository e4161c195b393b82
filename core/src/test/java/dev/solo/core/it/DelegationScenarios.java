package dev.solo.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.core.FallbackPolicy;
import dev.solo.core.Outcome;
import dev.solo.core.PortPolicy;
import dev.solo.core.Registry;
import dev.solo.core.SingleInstance;
import dev.solo.core.internal.Platform;
import dev.solo.core.testapp.LineResident;
import dev.solo.testing.Child;
import dev.solo.testing.Children;
import dev.solo.testing.Ports;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link LineResident} in a child process; this JVM is the {@code --run-once} client ({@link
 * SingleInstance#tryRunOnce}) and sees each delegation outcome over real sockets. The resident always
 * has its same-user socket; {@link TcpDelegationIT} runs every scenario with a client that goes over
 * TCP with the proof, {@link SocketDelegationIT} with one that takes the socket.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class DelegationScenarios {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Several lines, non-ASCII, a tab and a final newline: the payload must arrive byte for byte. */
    private static final String TEXT = "Grüße aus der Residenz ✓\nzweite Zeile\n\tmit Tab\n";

    @RegisterExtension
    final Children children = new Children();

    @TempDir
    Path dir;

    private final ExecutorService clients = Executors.newCachedThreadPool();
    private Path home;
    private int port;
    private SingleInstance client;

    @BeforeEach
    void setUp() {
        home = dir.resolve("solo-home");
        port = Ports.free();
        client = SingleInstance.builder(LineResident.SERVICE)
                .policy(PortPolicy.fixed(port))
                .registry(Registry.at(home))
                .localSocket(overSocket())
                .build();
    }

    /** Whether the client takes the same-user socket. */
    abstract boolean overSocket();

    @Test
    void theRequestTakesTheTransportUnderTest() {
        startResident();
        Outcome o = client.tryRunOnce("WHO", null, null);
        assertThat(o).as(o.message()).isInstanceOf(Outcome.Delegated.class);
        assertThat(((Outcome.Delegated) o).text()).contains(overSocket() ? "-local-" : "-conn-");
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        clients.shutdownNow();
        assertThat(clients.awaitTermination(10, TimeUnit.SECONDS))
                .as("client threads ended")
                .isTrue();
    }

    @Test
    void stdoutIsDelegatedAndAnswersTheExactText() {
        Child resident = startResident();

        Outcome o = client.tryRunOnce("STDOUT", null, null);

        assertThat(o).isInstanceOf(Outcome.Delegated.class);
        Outcome.Delegated d = (Outcome.Delegated) o;
        assertThat(d.text()).isEqualTo(TEXT);
        assertThat(d.payload()).isEqualTo(TEXT.getBytes(StandardCharsets.UTF_8));
        assertThat(d.resident().pid()).isEqualTo(resident.pid());
        assertThat(d.resident().port()).isEqualTo(port);
        resident.awaitLine("HANDLED STDOUT"::equals, WAIT, "HANDLED STDOUT");
        assertThat(resident.stdout()).containsExactly("CLAIMED " + port, "HANDLED STDOUT");
    }

    @Test
    void clipboardIsDelegatedAndAnswersAnEmptySuccess() {
        Child resident = startResident();

        Outcome o = client.tryRunOnce("CLIPBOARD", null, null);

        assertThat(o).isInstanceOf(Outcome.Delegated.class);
        assertThat(((Outcome.Delegated) o).payload()).isEmpty();
        assertThat(FallbackPolicy.DEFAULT.runStandalone(o)).isFalse();
        resident.awaitLine("HANDLED CLIPBOARD"::equals, WAIT, "HANDLED CLIPBOARD");
        assertThat(resident.stdout()).containsExactly("CLAIMED " + port, "HANDLED CLIPBOARD");
    }

    @Test
    void busyWhileSlowRunsIsAResidentErrorAndCausesNoAction() throws Exception {
        Child resident = startResident();
        CompletableFuture<Outcome> slow =
                CompletableFuture.supplyAsync(() -> client.tryRunOnce("SLOW", null, null), clients);
        resident.awaitLine("HANDLED SLOW"::equals, WAIT, "HANDLED SLOW");

        Outcome busy = client.tryRunOnce("STDOUT", null, null);

        assertThat(busy).isInstanceOf(Outcome.ResidentError.class);
        Outcome.ResidentError e = (Outcome.ResidentError) busy;
        assertThat(e.error()).isEqualTo("Busy, please retry");
        assertThat(e.busy()).isTrue();
        assertThat(e.resident().pid()).isEqualTo(resident.pid());
        assertThat(FallbackPolicy.DEFAULT.runStandalone(busy))
                .as("busy is reported, not duplicated")
                .isFalse();
        assertThat(slow).isNotDone();

        assertThat(client.tryRunOnce("RELEASE", null, null)).isInstanceOf(Outcome.Delegated.class);
        Outcome done = slow.get(30, TimeUnit.SECONDS);
        assertThat(done).isInstanceOf(Outcome.Delegated.class);
        assertThat(((Outcome.Delegated) done).text()).isEqualTo("slow done");

        Outcome after = client.tryRunOnce("STDOUT", null, null);
        assertThat(after).isInstanceOf(Outcome.Delegated.class);
        assertThat(((Outcome.Delegated) after).text()).isEqualTo(TEXT);
        resident.awaitLine("HANDLED STDOUT"::equals, WAIT, "HANDLED STDOUT");
        assertThat(resident.stdout())
                .as("the busy STDOUT ran no handler")
                .containsExactly("CLAIMED " + port, "HANDLED SLOW", "HANDLED RELEASE", "HANDLED STDOUT");
    }

    @Test
    void residentKilledWhileSlowRunsIsResidentLost() throws Exception {
        Child resident = startResident();
        CompletableFuture<Outcome> slow =
                CompletableFuture.supplyAsync(() -> client.tryRunOnce("SLOW", null, null), clients);
        resident.awaitLine("HANDLED SLOW"::equals, WAIT, "HANDLED SLOW");

        resident.kill9();
        Outcome lost = slow.get(30, TimeUnit.SECONDS);

        assertThat(lost).isInstanceOf(Outcome.ResidentLost.class);
        assertThat(((Outcome.ResidentLost) lost).resident().pid()).isEqualTo(resident.pid());
        assertThat(FallbackPolicy.DEFAULT.runStandalone(lost)).isTrue();
        // with the resident gone, its stale record is no lead
        assertThat(client.tryRunOnce("STDOUT", null, null)).isInstanceOf(Outcome.NoResident.class);
        assertThat(Registry.at(home).records()).isEmpty();
    }

    @Test
    void cleanStopWhileSlowRunsAnswersShuttingDown() throws Exception {
        Child resident = startResident();
        CompletableFuture<Outcome> slow =
                CompletableFuture.supplyAsync(() -> client.tryRunOnce("SLOW", null, null), clients);
        resident.awaitLine("HANDLED SLOW"::equals, WAIT, "HANDLED SLOW");

        resident.closeStdin(); // the resident's clean stop

        Outcome stopped = slow.get(30, TimeUnit.SECONDS);
        assertThat(stopped).isInstanceOf(Outcome.ResidentError.class);
        assertThat(((Outcome.ResidentError) stopped).error()).isEqualTo("shutting down");
        assertThat(FallbackPolicy.DEFAULT.runStandalone(stopped))
                .as("the work was not done: run it here")
                .isTrue();
        assertThat(resident.awaitExit(WAIT)).isZero();
        assertThat(Registry.at(home).records()).isEmpty();
        assertThat(client.tryRunOnce("STDOUT", null, null)).isInstanceOf(Outcome.NoResident.class);
    }

    /**
     * Issue 11 defect 6: SIGTERM while a delegated request runs. The resident's shutdown answers {@code
     * shutting down} (or the client sees it vanish); either way the default fallback runs the request
     * standalone, as docs/protocol.md says.
     */
    @Test
    void sigtermWhileSlowRunsLetsTheDefaultFallbackRunStandalone() throws Exception {
        Child resident = startResident();
        CompletableFuture<Outcome> slow =
                CompletableFuture.supplyAsync(() -> client.tryRunOnce("SLOW", null, null), clients);
        resident.awaitLine("HANDLED SLOW"::equals, WAIT, "HANDLED SLOW");

        resident.process().destroy(); // SIGTERM: the JVM runs the resident's shutdown hook

        Outcome stopped = slow.get(30, TimeUnit.SECONDS);
        assertThat(stopped)
                .as(stopped.message())
                .isInstanceOfAny(Outcome.ResidentError.class, Outcome.ResidentLost.class);
        if (stopped instanceof Outcome.ResidentError e)
            assertThat(e.shuttingDown()).isTrue();
        assertThat(FallbackPolicy.DEFAULT.runStandalone(stopped)).isTrue();
        resident.awaitExit(WAIT);
        assertThat(client.tryRunOnce("STDOUT", null, null)).isInstanceOf(Outcome.NoResident.class);
    }

    @Test
    void rangeResidentIsFoundByScanningWhenItsRecordIsGone() throws Exception {
        int start = Ports.freeRange(4);
        try (ForeignHolder foreign = ForeignHolder.start(ForeignHolder.Kind.GARBAGE, Platform.LOOPBACK_V4, start)) {
            Child resident = children.start(
                    LineResident.class,
                    home,
                    "--range",
                    String.valueOf(start),
                    String.valueOf(start + 3),
                    "--stdout-b64",
                    Base64.getEncoder().encodeToString(TEXT.getBytes(StandardCharsets.UTF_8)));
            assertThat(resident.awaitLineStartingWith("CLAIMED ", WAIT)).isEqualTo("CLAIMED " + (start + 1));
            Registry registry = Registry.at(home);
            for (var r : registry.records()) registry.remove(r); // no hint: the client must scan
            SingleInstance rangeClient = SingleInstance.builder(LineResident.SERVICE)
                    .policy(PortPolicy.range(start, start + 3))
                    .registry(registry)
                    .localSocket(overSocket())
                    .build();

            Outcome o = rangeClient.tryRunOnce("STDOUT", null, null);

            assertThat(o).isInstanceOf(Outcome.Delegated.class);
            assertThat(((Outcome.Delegated) o).text()).isEqualTo(TEXT);
            assertThat(((Outcome.Delegated) o).resident().port()).isEqualTo(start + 1);
            assertThat(foreign.isListening()).isTrue();
        }
    }

    @Test
    void noResidentIsNoResident() {
        Outcome o = client.tryRunOnce("STDOUT", null, null);

        assertThat(o).isInstanceOf(Outcome.NoResident.class);
        assertThat(o.message())
                .isEqualTo("no " + LineResident.SERVICE + " of user " + client.user() + " answers on loopback port "
                        + port);
        assertThat(FallbackPolicy.DEFAULT.runStandalone(o)).isTrue();
    }

    private Child startResident() {
        Child resident = children.start(
                LineResident.class,
                home,
                "--port",
                String.valueOf(port),
                "--stdout-b64",
                Base64.getEncoder().encodeToString(TEXT.getBytes(StandardCharsets.UTF_8)));
        assertThat(resident.awaitLineStartingWith("CLAIMED ", WAIT)).isEqualTo("CLAIMED " + port);
        return resident;
    }
}
