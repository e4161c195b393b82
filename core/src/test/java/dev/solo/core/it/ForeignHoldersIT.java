package dev.solo.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.solo.core.Registry;
import dev.solo.core.internal.Json;
import dev.solo.core.internal.Platform;
import dev.solo.core.testapp.FixedHttpService;
import dev.solo.core.testapp.LineResident;
import dev.solo.testing.Child;
import dev.solo.testing.Children;
import dev.solo.testing.Ports;
import dev.solo.testing.Prerequisite;
import dev.solo.testing.RawHttp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Something that is not ours holds the port, on one loopback or on all of them. The claimer (a child
 * {@link FixedHttpService}, or a {@link LineResident} for the range policy) must report the foreign
 * service with exit 1 and the seed's error text, and must never start a second service: the holder
 * keeps its port and nothing of ours is registered.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ForeignHoldersIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TAIL = ". Stop that program or choose another port.";

    @RegisterExtension
    final Children children = new Children();

    @TempDir
    Path dir;

    private Path home;
    private Registry registry;
    private int defaultPort;
    private int port;

    @BeforeEach
    void setUp() {
        home = dir.resolve("solo-home");
        registry = Registry.at(home);
        defaultPort = Ports.free();
        port = Ports.free();
    }

    @Test
    void rawTcpServerSendingGarbage() throws IOException {
        try (ForeignHolder holder = ForeignHolder.start(ForeignHolder.Kind.GARBAGE, Platform.LOOPBACK_V4, port)) {
            String detail = claimFailsWithExplicitPortError();
            assertThat(detail).startsWith(held(port)).endsWith(TAIL);
            assertHolderStillHolds(holder, Platform.LOOPBACK_V4);
        }
    }

    @Test
    void httpServerWithAnotherServiceName() throws IOException {
        try (ForeignHolder holder = ForeignHolder.start(ForeignHolder.Kind.OTHER_SERVICE, Platform.LOOPBACK_V4, port)) {
            String detail = claimFailsWithExplicitPortError();
            assertThat(detail).isEqualTo(otherServiceDetail(port));
            assertHolderStillHolds(holder, Platform.LOOPBACK_V4);
        }
    }

    @Test
    void silentAcceptor() throws IOException {
        try (ForeignHolder holder = ForeignHolder.start(ForeignHolder.Kind.SILENT, Platform.LOOPBACK_V4, port)) {
            String detail = claimFailsWithExplicitPortError();
            assertThat(detail)
                    .matches(held(port) + "accepts connections but did not answer within \\d+ ms\\Q" + byThisJvm()
                            + TAIL + "\\E");
            assertHolderStillHolds(holder, Platform.LOOPBACK_V4);
        }
    }

    @Test
    void listenerOnIpv6LoopbackOnly() throws IOException {
        Prerequisite.IPV6_LOOPBACK.require();
        try (ForeignHolder holder = ForeignHolder.start(ForeignHolder.Kind.GARBAGE, Platform.LOOPBACK_V6, port)) {
            String detail = claimFailsWithExplicitPortError();
            assertThat(detail).startsWith(held(port)).endsWith(TAIL);
            assertHolderStillHolds(holder, Platform.LOOPBACK_V6);
            // the claimer bound 127.0.0.1 before it found [::1] taken; it let go of it again
            assertThat(Ports.bindFailure(Platform.LOOPBACK_V4, port)).isNull();
        }
    }

    @Test
    void listenerOnAllIpv4Addresses() throws IOException {
        InetAddress any = InetAddress.getByName("0.0.0.0");
        try (ForeignHolder holder = ForeignHolder.start(ForeignHolder.Kind.OTHER_SERVICE, any, port)) {
            String detail = claimFailsWithExplicitPortError();
            assertThat(detail).isEqualTo(otherServiceDetail(port));
            assertHolderStillHolds(holder, Platform.LOOPBACK_V4);
        }
    }

    @Test
    void listenerOnTheDualStackWildcard() throws IOException {
        Prerequisite.IPV6_LOOPBACK.require();
        // new ServerSocket(port): what most Java programs do; it holds 127.0.0.1 and ::1 alike
        try (ForeignHolder holder = ForeignHolder.start(ForeignHolder.Kind.GARBAGE, null, port)) {
            String detail = claimFailsWithExplicitPortError();
            assertThat(detail).startsWith(held(port)).endsWith(TAIL);
            assertHolderStillHolds(holder, Platform.LOOPBACK_V4);
            assertHolderStillHolds(holder, Platform.LOOPBACK_V6);
        }
    }

    @Test
    void ourServiceThatCannotProveItKnowsOurTokenIsForeign() throws IOException {
        Path otherHome = dir.resolve("other-solo-home"); // same user and service, another token
        Child holder = children.start(FixedHttpService.class, otherHome, "--default-port", String.valueOf(port));
        holder.awaitLineStartingWith("Monitor running on port ", WAIT);

        String detail = claimFailsWithExplicitPortError();

        assertThat(detail)
                .isEqualTo(held(port) + "calls itself solo-monitor of user " + Platform.user() + " (pid " + holder.pid()
                        + ") but cannot prove it knows your token (" + registry.tokenFile() + ")"
                        + "; its socket belongs to you (uid " + Platform.uid() + "), pid " + holder.pid() + " (java)"
                        + TAIL);
        assertThat(holder.isAlive()).isTrue();
        assertThat(json(RawHttp.get(Platform.LOOPBACK_V4, port, "/health"))).containsEntry("pid", holder.pid());
    }

    @Test
    void defaultPortHeldByAnotherService() throws IOException {
        try (ForeignHolder holder =
                ForeignHolder.start(ForeignHolder.Kind.OTHER_SERVICE, Platform.LOOPBACK_V4, defaultPort)) {
            Child service = children.start(FixedHttpService.class, home, "--default-port", String.valueOf(defaultPort));

            assertThat(service.awaitExit(WAIT)).as(service.dump()).isEqualTo(1);
            assertThat(service.stdout()).isEmpty();
            assertThat(service.stderr())
                    .containsExactly(
                            "Error: Default port " + defaultPort + " is already in use by another service.",
                            "Please stop the existing service with 'solo monitor stop'",
                            "or specify a different port with --port.",
                            otherServiceDetail(defaultPort));
            assertHolderStillHolds(holder, Platform.LOOPBACK_V4);
        }
    }

    @Test
    void rangeStepsOverAForeignHolderToTheNextPort() throws IOException {
        int start = Ports.freeRange(3);
        try (ForeignHolder holder = ForeignHolder.start(ForeignHolder.Kind.GARBAGE, Platform.LOOPBACK_V4, start)) {
            Child resident = children.start(
                    LineResident.class, home, "--range", String.valueOf(start), String.valueOf(start + 2));

            assertThat(resident.awaitLineStartingWith("CLAIMED ", WAIT)).isEqualTo("CLAIMED " + (start + 1));
            assertHolderStillHolds(holder, Platform.LOOPBACK_V4);
            assertThat(registry.records()).hasSize(1);
            assertThat(registry.records().get(0).port()).isEqualTo(start + 1);
        }
    }

    @Test
    void rangeFullOfForeignHoldersIsForeign() throws IOException {
        int start = Ports.freeRange(2);
        try (ForeignHolder first = ForeignHolder.start(ForeignHolder.Kind.GARBAGE, Platform.LOOPBACK_V4, start);
                ForeignHolder second =
                        ForeignHolder.start(ForeignHolder.Kind.SILENT, Platform.LOOPBACK_V4, start + 1)) {
            Child resident = children.start(
                    LineResident.class, home, "--range", String.valueOf(start), String.valueOf(start + 1));

            assertThat(resident.awaitExit(WAIT)).as(resident.dump()).isEqualTo(1);
            assertThat(resident.stdout()).as(resident.dump()).hasSize(1);
            assertThat(resident.stdout().get(0))
                    .startsWith("FOREIGN " + start + " ")
                    .endsWith("; every other port of " + start + "-" + (start + 1)
                            + " is taken too (set SINGLEINSTANCE_PORT_START/SINGLEINSTANCE_PORT_END to a free range)");
            assertThat(resident.stderr()).as(resident.dump()).isEmpty();
            assertThat(registry.records()).as("nothing of ours registered").isEmpty();
            assertHolderStillHolds(first, Platform.LOOPBACK_V4);
            assertHolderStillHolds(second, Platform.LOOPBACK_V4);
        }
    }

    /** Runs the service on the held {@link #port}; returns the last stderr line, the claim's account. */
    private String claimFailsWithExplicitPortError() {
        Child service = children.start(
                FixedHttpService.class,
                home,
                "--default-port",
                String.valueOf(defaultPort),
                "--port",
                String.valueOf(port));

        assertThat(service.awaitExit(WAIT)).as(service.dump()).isEqualTo(1);
        assertThat(service.stdout()).as(service.dump()).isEmpty();
        List<String> err = service.stderr();
        assertThat(err).as(service.dump()).hasSize(3);
        assertThat(err.subList(0, 2))
                .containsExactly(
                        "Error: Port " + port + " is already in use by another service.",
                        "Please stop the existing service or choose a different port.");
        assertThat(registry.records()).as("nothing of ours registered").isEmpty();
        assertThat(Ports.bindFailure(Platform.LOOPBACK_V4, defaultPort)).isNull();
        return err.get(2);
    }

    /** The holder still has its port: nobody can bind it, and a new connection reaches the holder. */
    private void assertHolderStillHolds(ForeignHolder holder, InetAddress address) throws IOException {
        int p = holder.port();
        assertThat(holder.isListening()).isTrue();
        assertThat(Ports.bindFailure(address, p))
                .as("binding %s:%d", address, p)
                .isNotNull();
        int before = holder.accepted();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, p), 5_000);
            await().atMost(Duration.ofSeconds(10)).until(() -> holder.accepted() > before);
        }
        assertThat(registry.records()).as("nothing of ours registered on " + p).noneMatch(r -> r.port() == p);
    }

    private static String held(int port) {
        return "Port " + port + " is held by another program that ";
    }

    private static String otherServiceDetail(int port) {
        return held(port) + "answers as service '" + ForeignHolder.OTHER_SERVICE_NAME + "' (pid "
                + ForeignHolder.OTHER_SERVICE_PID + ")" + byThisJvm() + TAIL;
    }

    /** What the kernel says of a holder in this JVM, whatever it says of itself (core's PortHolder). */
    private static String byThisJvm() {
        return "; its socket belongs to you (uid " + Platform.uid() + "), pid "
                + ProcessHandle.current().pid() + " (java)";
    }

    private static Map<String, Object> json(RawHttp.Reply reply) {
        return Json.parseObject(reply.body().trim());
    }
}
