package dev.solo.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.solo.core.internal.LineCodec;
import dev.solo.core.internal.Platform;
import dev.solo.core.support.FakePeer;
import dev.solo.core.support.Residents;
import dev.solo.core.support.ThreadHygiene;
import dev.solo.testing.Ports;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 part 1, in one JVM: where the same-user socket lives, that a claim clears what a dead
 * resident left there, and that a client goes on over TCP with the proof whenever the socket is gone,
 * stale, another user's or silent. {@code it.AttackIT} and {@code it.KillNineIT} do the same with real
 * other users and real {@code kill -9}.
 */
@ExtendWith(ThreadHygiene.class)
@SuppressWarnings("try") // servers and fakes are opened to be there, not to be called
class LocalSocketTest {
    @TempDir
    Path home;

    private final int port = Ports.free();
    private final AtomicInteger calls = new AtomicInteger();

    private SingleInstance app(boolean localSocket) {
        return Residents.app(home, PortPolicy.fixed(port))
                .localSocket(localSocket)
                .build();
    }

    /** A verb that says which thread ran it: {@code -local-} on the socket, {@code -conn-} over TCP. */
    private Verb who() {
        return Verb.concurrent("WHO", r -> {
            calls.incrementAndGet();
            return Response.success(Thread.currentThread().getName());
        });
    }

    private static String delegated(Outcome o) {
        assertThat(o).as(o.message()).isInstanceOf(Outcome.Delegated.class);
        return ((Outcome.Delegated) o).text();
    }

    /** A socket file that nobody listens on any more, as {@code kill -9} leaves it. */
    private static void leaveStaleFile(Path path) throws Exception {
        Files.createDirectories(path.getParent());
        try (ServerSocketChannel gone = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            gone.bind(UnixDomainSocketAddress.of(path));
        }
        assertThat(path).exists();
    }

    private static String rawLocal(Path path, String request) throws Exception {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            ch.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
            return new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theSocketIsPrivateNamedByThePolicyAndGoneWithTheResident() throws Exception {
        SingleInstance app = app(true);
        Path expected = home.resolve("run").resolve(Residents.SERVICE + "-p" + port + ".sock");
        Path path;
        try (LineServer server = Residents.serve(app, who())) {
            path = server.localSocket();
            assertThat(path).isEqualTo(expected);
            if (Files.getFileAttributeView(path, java.nio.file.attribute.PosixFileAttributeView.class) != null) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path.getParent())))
                        .isEqualTo("rwx------");
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path)))
                        .isEqualTo("rw-------");
            }
            assertThat(delegated(app.tryRunOnce("WHO", null, null))).contains("-local-");
            assertThat(app.find()).get().extracting(ServiceIdentity::port).isEqualTo(port);
        }
        assertThat(path).doesNotExist();
    }

    @Test
    void theSocketsNameFollowsTheNameAndTheRange() {
        Registry r = Registry.at(home);
        assertThat(LocalSockets.pathFor(r, "solo-ocr", "", PortPolicy.range(49500, 49550)))
                .isEqualTo(home.resolve("run/solo-ocr-r49500-49550.sock"));
        assertThat(LocalSockets.pathFor(r, "solo-monitor", "work", PortPolicy.ephemeral()))
                .isEqualTo(home.resolve("run/solo-monitor@work.sock"));
        Registry deep = Registry.at(home.resolve("x".repeat(120)));
        assertThat(LocalSockets.pathFor(deep, "solo-ocr", "", PortPolicy.fixed(1)))
                .as("too long for a socket address: no socket, TCP only")
                .isNull();
    }

    @Test
    void aClaimRemovesTheFileADeadResidentLeftAndServesOnTheSocket() throws Exception {
        SingleInstance app = app(true);
        leaveStaleFile(app.localSocketPath());
        try (LineServer server = Residents.serve(app, who())) {
            assertThat(server.localSocket()).isEqualTo(app.localSocketPath());
            assertThat(delegated(app.tryRunOnce("WHO", null, null))).contains("-local-");
        }
    }

    @Test
    void aClientWhoseSocketIsGoneGoesOverTcpWithTheProof() throws Exception {
        SingleInstance app = app(true);
        try (LineServer server = Residents.serve(app, who())) {
            Files.delete(server.localSocket());
            assertThat(delegated(app.tryRunOnce("WHO", null, null))).contains("-conn-");
        }
    }

    @Test
    void aStaleSocketFileMeansTcp() throws Exception {
        SingleInstance client = app(true);
        try (LineServer server = Residents.serve(app(false), who())) {
            leaveStaleFile(client.localSocketPath());
            assertThat(delegated(client.tryRunOnce("WHO", null, null))).contains("-conn-");
            assertThat(client.localSocketPath()).as("a client never removes it").exists();
        }
    }

    @Test
    void aSocketOfAnotherUserIsNeverUsed() throws Exception {
        assumeTrue(Platform.uid() == 0, "only root can give a file to another user (run as root, as CI does)");
        SingleInstance client = app(true);
        try (LineServer server = Residents.serve(app(false), who());
                FakePeer planted = FakePeer.listenLocal(client.localSocketPath(), FakePeer.silent())) {
            Files.setAttribute(client.localSocketPath(), "unix:uid", 65534);
            assertThat(delegated(client.tryRunOnce("WHO", "secret", null))).contains("-conn-");
            assertThat(planted.accepted())
                    .as("connections to the other user's socket")
                    .isZero();
        }
    }

    @Test
    void aSocketThatNeverGreetsIsLeftForTcpAndItsRequestExpires() throws Exception {
        SingleInstance client = app(true);
        try (FakePeer silent = FakePeer.listenLocal(client.localSocketPath(), FakePeer.silent())) {
            long start = System.nanoTime();
            Outcome o = client.tryRunOnce("WHO", null, null);
            assertThat(o).as(o.message()).isInstanceOf(Outcome.NoResident.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("the greeting wait (2 s), not the answer timeout")
                    .isLessThan(Duration.ofSeconds(10));
            assertThat(silent.received()).startsWith(LineCodec.EXPIRES + " ").contains("\nWHO\n");
        }
    }

    @Test
    void aRequestReadAfterItsClientStoppedWaitingIsNotRun() throws Exception {
        SingleInstance app = app(true);
        try (LineServer server = Residents.serve(app, who())) {
            long past = System.currentTimeMillis() - 1;
            String answer = rawLocal(server.localSocket(), LineCodec.EXPIRES + " " + past + "\nWHO\n");
            assertThat(answer).startsWith("SOLO ").endsWith("\nERROR\n" + LineCodec.EXPIRED_MESSAGE);
            assertThat(calls.get()).isZero();
        }
    }

    @Test
    void everyRequestOnTheSocketIsServedWithoutAuthAndGreeted() throws Exception {
        SingleInstance app = app(true);
        try (LineServer server = Residents.serve(app, who())) {
            String answer = rawLocal(server.localSocket(), "WHO\n");
            int nl = answer.indexOf('\n');
            ServiceIdentity greeted =
                    LineCodec.parseGreeting(answer.substring(0, nl), Residents.SERVICE, app.user(), "");
            assertThat(greeted).isNotNull();
            assertThat(greeted.port()).isEqualTo(port);
            assertThat(greeted.pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(greeted.instance()).isEqualTo(server.identity().instance());
            assertThat(answer.substring(nl + 1)).startsWith("SUCCESS\nsolo-" + Residents.SERVICE + "-local-");
            assertThat(rawLocal(server.localSocket(), "PING\n")).endsWith("\nPONG\n");
        }
    }

    /** One thread serves the socket; a handler that waits for its user must not keep the socket from answering. */
    @Test
    void aSlowHandlerDoesNotKeepTheSocketFromAnswering() throws Exception {
        SingleInstance app = app(true);
        java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Verb slow = Verb.exclusive("SLOW", r -> {
            entered.countDown();
            release.await(30, java.util.concurrent.TimeUnit.SECONDS);
            return Response.success("slow done");
        });
        try (LineServer server = Residents.serve(app, slow, who())) {
            java.util.concurrent.CompletableFuture<Outcome> first =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> app.tryRunOnce("SLOW", null, null));
            assertThat(entered.await(15, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(rawLocal(server.localSocket(), "PING\n")).endsWith("\nPONG\n");
            assertThat(delegated(app.tryRunOnce("WHO", null, null))).contains("-local-");
            Outcome busy = app.tryRunOnce("SLOW", null, null);
            assertThat(busy).isInstanceOf(Outcome.ResidentError.class);
            assertThat(((Outcome.ResidentError) busy).busy()).isTrue();
            release.countDown();
            assertThat(delegated(first.get(15, java.util.concurrent.TimeUnit.SECONDS)))
                    .isEqualTo("slow done");
        }
    }

    @Test
    void anHttpResidentsClaimCarriesThePlaceButCoreBindsNothing() {
        SingleInstance http = Residents.app(home, PortPolicy.fixed(port))
                .protocol(Protocol.HTTP)
                .build();
        ClaimResult r = http.claim();
        assertThat(r).isInstanceOf(ClaimResult.Claimed.class);
        try (ClaimResult.Claimed c = (ClaimResult.Claimed) r) {
            assertThat(c.localSocket()).isEqualTo(home.resolve("run/" + Residents.SERVICE + "-p" + port + ".sock"));
            assertThat(c.localSocket()).doesNotExist();
            assertThat(c.localSocket().getParent()).isDirectory();
        }
    }
}
