package dev.solo.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.solo.core.ClaimResult;
import dev.solo.core.LineServer;
import dev.solo.core.LiveInstance;
import dev.solo.core.Outcome;
import dev.solo.core.PortPolicy;
import dev.solo.core.Registry;
import dev.solo.core.RegistryException;
import dev.solo.core.Response;
import dev.solo.core.SingleInstance;
import dev.solo.core.Verb;
import dev.solo.core.internal.Platform;
import dev.solo.core.testapp.Attacker;
import dev.solo.core.testapp.LineResident;
import dev.solo.testing.Child;
import dev.solo.testing.Children;
import dev.solo.testing.Ports;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trust review's attacks on solo-core, run for real: the attacker is an {@link Attacker} process
 * of the OS user {@code nobody}, the victim is this JVM's user with a resident in this JVM. Each test
 * asserts what the attacker got and what the victim saw.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AttackIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TEXT = "the victim's screen text";

    @RegisterExtension
    final Children children = new Children();

    @TempDir
    Path home;

    private Nobody nobody;
    private LineServer resident;
    private final AtomicInteger handled = new AtomicInteger();

    @BeforeEach
    void asNobody() throws Exception {
        nobody = Nobody.require();
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (resident != null) resident.close();
        if (nobody != null) nobody.close();
    }

    private Child attacker(String... args) throws Exception {
        return Prefixed.start(
                children,
                Nobody.setpriv(),
                nobody.classPath(),
                Attacker.class,
                nobody.writableDir("home-" + System.nanoTime()),
                args);
    }

    private static String decode(String line, String prefix) {
        assertThat(line).startsWith(prefix);
        return new String(
                Base64.getDecoder().decode(line.substring(prefix.length()).trim()), StandardCharsets.UTF_8);
    }

    private SingleInstance app(String service, PortPolicy policy) {
        return SingleInstance.builder(service)
                .version("test")
                .policy(policy)
                .registry(Registry.at(home))
                .startWait(Duration.ofSeconds(3))
                .build();
    }

    /** A resident of the victim with ECHO, and STDOUT open to the victim's raw ADR-007 clients. */
    private SingleInstance serve(String service, PortPolicy policy) {
        SingleInstance app = app(service, policy);
        resident = LineServer.builder(app)
                .verb(Verb.concurrent("ECHO", r -> Response.success(r.args())))
                .verb(Verb.exclusive("STDOUT", r -> {
                            handled.incrementAndGet();
                            return Response.success(TEXT);
                        })
                        .withRawFromSameUser())
                .start((ClaimResult.Claimed) app.claim());
        return app;
    }

    /** Point 5: nobody holds 200 idle connections; the victim's every exchange still works. */
    @Test
    void aFloodOfAnotherUserNeitherBlocksUsNorCostsTheRecordNorMakesASecondResident() throws Exception {
        int start = Ports.freeRange(3);
        SingleInstance app = serve("solo-victim", PortPolicy.range(start, start + 2));
        int port = resident.port();
        // The resident closes nobody's connections over the cap of 64 (the attacker reopens each one):
        // at least 200 - 64 of them, however long a loaded machine takes to get there.
        Child flood = attacker("flood", String.valueOf(port), "200", String.valueOf(200 - 64));
        flood.awaitLine("HOLDING 200"::equals, WAIT, "HOLDING 200");
        flood.awaitLine(("EVICTED " + (200 - 64))::equals, WAIT, "EVICTED " + (200 - 64));

        try (Socket s = new Socket(Platform.LOOPBACK_V4, port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("PING\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("PONG\n");
        }
        // Over TCP, where the flood is: HELLO with its proof, then AUTH and the request.
        SingleInstance overTcp = SingleInstance.builder("solo-victim")
                .policy(PortPolicy.range(start, start + 2))
                .registry(Registry.at(home))
                .localSocket(false)
                .build();
        assertThat(overTcp.find()).get().extracting(id -> id.port()).isEqualTo(port);
        Outcome o = overTcp.tryRunOnce("ECHO", "through the flood", null);
        assertThat(o).as(o.message()).isInstanceOf(Outcome.Delegated.class);
        assertThat(((Outcome.Delegated) o).text()).isEqualTo("through the flood");
        Outcome local = app.tryRunOnce("ECHO", "and beside it", null);
        assertThat(local).as(local.message()).isInstanceOf(Outcome.Delegated.class);

        List<LiveInstance> live = Registry.at(home).live();
        assertThat(live).extracting(l -> l.record().port()).containsExactly(port);
        assertThat(live.get(0).answering()).isTrue();
        ClaimResult second =
                app("solo-victim", PortPolicy.range(start, start + 2)).claim();
        assertThat(second).as(second.message()).isInstanceOf(ClaimResult.Running.class);
        assertThat(((ClaimResult.Running) second).identity().port()).isEqualTo(port);

        flood.closeStdin();
        String closed = flood.awaitLineStartingWith("CLOSED ", WAIT);
        assertThat(Long.parseLong(closed.substring("CLOSED ".length())))
                .as("connections of nobody that the resident closed over its cap of 64")
                .isGreaterThanOrEqualTo(200 - 64);
        assertThat(Registry.at(home).records()).hasSize(1);
    }

    /** Point 6: a raw STDOUT from nobody is refused; the same bytes from the victim are served. */
    @Test
    void aRawStdoutOfAnotherUserIsRefusedAndOursIsServed() throws Exception {
        serve("solo-victim", PortPolicy.fixed(Ports.free()));
        Child raw = attacker("raw", String.valueOf(resident.port()), "STDOUT");
        String answer = decode(raw.awaitLineStartingWith("ANSWER ", WAIT), "ANSWER ");
        assertThat(answer).startsWith("ERROR\nunauthenticated request 'STDOUT': send 'AUTH <token>' first");
        assertThat(answer).doesNotContain(TEXT);
        assertThat(handled.get()).as("handler calls for nobody").isZero();

        try (Socket s = new Socket(Platform.LOOPBACK_V4, resident.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("STDOUT\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("SUCCESS\n" + TEXT);
        }
        assertThat(handled.get()).isEqualTo(1);
    }

    /** Point 1, as nobody: a squatter relays our HELLO to another live resident of ours. */
    @Test
    void aRelayRunByAnotherUserLearnsNothing() throws Exception {
        serve("solo-relayed", PortPolicy.fixed(Ports.free()));
        int squatted = Ports.free();
        Child relay = attacker("relay", String.valueOf(squatted), String.valueOf(resident.port()));
        relay.awaitLine("RELAYING"::equals, WAIT, "RELAYING");
        SingleInstance victim = app("solo-victim", PortPolicy.fixed(squatted));
        String token = victim.registry().token().value();

        Outcome o = victim.tryRunOnce("STDOUT", "secret-args", "secret-body".getBytes(StandardCharsets.UTF_8));
        assertThat(o).as(o.message()).isInstanceOf(Outcome.NoResident.class);
        assertThat(victim.find()).isEmpty();
        ClaimResult claim = victim.claim();
        assertThat(claim).isInstanceOf(ClaimResult.ForeignService.class);
        assertThat(claim.message())
                .contains("Port " + squatted + " is held by another program")
                .contains("relays another program's answer")
                .doesNotContain("pid " + ProcessHandle.current().pid())
                // the kernel's word, not the relay's: nobody's socket, its own pid
                .contains("its socket belongs to user 'nobody' (uid " + Nobody.UID)
                .contains("pid " + relay.pid() + " (java)");

        relay.closeStdin();
        assertThat(relay.awaitExit(WAIT)).as(relay.dump()).isZero();
        String got = String.join("\n", relay.stdout());
        assertThat(relay.stdout()).as("connections the relay saw").anyMatch(l -> l.startsWith("GOT "));
        StringBuilder all = new StringBuilder();
        for (String line : relay.stdout()) {
            if (line.startsWith("GOT ")) all.append(decode(line, "GOT "));
        }
        assertThat(all.toString())
                .as("what the relay received (%s)", got)
                .contains("HELLO ")
                .doesNotContain("AUTH")
                .doesNotContain(token)
                .doesNotContain("secret");
        assertThat(handled.get()).isZero();
    }

    /** Point 7: a resident of the same service run by nobody is another user's, never ours. */
    @Test
    void aResidentOfAnotherUserIsNamedAsSuch() throws Exception {
        int port = Ports.free();
        Child theirs = Prefixed.start(
                children,
                Nobody.setpriv(),
                nobody.classPath(),
                LineResident.class,
                nobody.writableDir("their").resolve("home"),
                "--port",
                String.valueOf(port));
        assertThat(theirs.awaitLineStartingWith("CLAIMED ", WAIT)).isEqualTo("CLAIMED " + port);

        SingleInstance ours = app(LineResident.SERVICE, PortPolicy.fixed(port));
        Optional<ClaimResult> holder = ours.inspect();
        assertThat(holder).get().isInstanceOf(ClaimResult.OtherUser.class);
        assertThat(holder.get().message()).contains("belongs to user 'nobody'").contains("pid " + theirs.pid());
        assertThat(ours.claim()).isInstanceOf(ClaimResult.OtherUser.class);
        Outcome o = ours.tryRunOnce("STDOUT", null, null);
        assertThat(o).as(o.message()).isInstanceOf(Outcome.NoResident.class);
        assertThat(theirs.stdout()).as("nobody's resident ran nothing for us").containsExactly("CLAIMED " + port);
    }

    /** Issue 13: the kernel refuses another user's connect to our socket (0700 directory, 0600 file). */
    @Test
    void anotherUserCannotReachOurSocket() throws Exception {
        serve("solo-victim", PortPolicy.fixed(Ports.free()));
        Path socket = resident.localSocket();
        assertThat(socket).isNotNull().exists();
        Child knock = attacker("uds", socket.toString(), "STDOUT");
        String answer = knock.awaitLine(l -> l.startsWith("ANSWER ") || l.startsWith("REFUSED "), WAIT, "a result");
        assertThat(answer).startsWith("REFUSED ").containsIgnoringCase("permission denied");
        assertThat(handled.get()).isZero();
    }

    /**
     * Issue 13: a socket at our place that another user made (here: our directory opened for a moment)
     * is never used; the client goes over TCP with the proof, and the other user's socket hears nothing.
     */
    @Test
    void aSocketOfAnotherUserAtOurPlaceSendsUsOverTcp() throws Exception {
        SingleInstance app = serve("solo-victim", PortPolicy.fixed(Ports.free()));
        Path socket = resident.localSocket();
        Files.delete(socket);
        Path dir = socket.getParent();
        // For a moment nobody may pass through our home and write into the socket directory.
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx--x--x"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Child squatter;
        try {
            squatter = attacker("squat-uds", socket.toString());
            squatter.awaitLine("LISTENING"::equals, WAIT, "LISTENING");
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        }
        assertThat(Files.getAttribute(socket, "unix:uid")).isEqualTo(Nobody.UID);

        Outcome o = app.tryRunOnce("STDOUT", "secret", null);
        assertThat(o).as(o.message()).isInstanceOf(Outcome.Delegated.class);
        assertThat(((Outcome.Delegated) o).text()).isEqualTo(TEXT);
        assertThat(app.find()).get().extracting(id -> id.port()).isEqualTo(resident.port());

        squatter.closeStdin();
        squatter.awaitExit(WAIT);
        assertThat(squatter.stdout()).as("what the other user's socket heard").noneMatch(l -> l.startsWith("GOT "));
    }

    /** Point 8: nobody plants a state directory with a token; root refuses it and writes nothing there. */
    @Test
    void aHomePlantedByAnotherUserIsRefused() throws Exception {
        Path planted = nobody.writableDir("planted").resolve("home");
        Child plant = attacker("mkhome", planted.toString());
        plant.awaitLine("PLANTED"::equals, WAIT, "PLANTED");
        assertThat(plant.awaitExit(WAIT)).isZero();
        assertThat(Files.getAttribute(planted, "unix:uid")).isEqualTo(Nobody.UID);

        assertThatThrownBy(() -> Registry.at(planted).token())
                .isInstanceOf(RegistryException.class)
                .hasMessageStartingWith(planted + " belongs to user 'nobody' (uid " + Nobody.UID + ")")
                .hasMessageNotContaining("\n");
        SingleInstance app = SingleInstance.builder("solo-victim")
                .policy(PortPolicy.fixed(Ports.free()))
                .registry(Registry.at(planted))
                .build();
        assertThatThrownBy(app::claim).isInstanceOf(RegistryException.class);
        assertThatThrownBy(() -> app.tryRunOnce("STDOUT", null, null)).isInstanceOf(RegistryException.class);
        assertThat(Files.exists(planted.resolve("instances")))
                .as("nothing written")
                .isFalse();
    }
}
