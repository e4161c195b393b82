package dev.solo.cli.monitor;

import dev.solo.core.ServiceIdentity;
import java.io.IOException;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The command line's side of the monitor's same-user socket (solo-core's place for it, in a 0700
 * directory of this user): {@code status}, reuse and the browser's login code go there first, with one
 * connect and no proof, and fall back to TCP with the proof when it cannot be used. It cannot be used
 * when the file is missing (no monitor, or one without a socket), when nothing accepts there (a monitor
 * killed with {@code kill -9} left it), when the peer is another OS user ({@code SO_PEERCRED} where the
 * OS tells, else the file's owner), or when it does not answer in time ({@value #CONNECT_MILLIS} ms to
 * connect, {@value #ANSWER_MILLIS} ms for the whole answer, {@value #STATUS_MILLIS} ms for {@link #status}). Nothing here removes a file: only a monitor
 * that holds the port may.
 */
final class LocalMonitor {
    static final int CONNECT_MILLIS = 1000;
    static final int ANSWER_MILLIS = 5000;
    /**
     * How long {@link #status} waits for its answer: a monitor that takes longer is asked over TCP next
     * ({@code inspect()}'s probe decides whether it is hung), so a stopped one is named within about 2 s
     * rather than after this wait and the probe's added up.
     */
    static final int STATUS_MILLIS = 1000;

    private static final int MAX_HEAD = 64 * 1024;

    /** A monitor that answered on its socket: who it is and its counts. */
    record Found(Path socket, ServiceIdentity identity, MonitorHttp.Counts counts) {}

    private LocalMonitor() {}

    /**
     * {@code GET /api/status} with the token on {@code t}'s socket: the monitor's identity and counts
     * when the monitor of {@code t} (service, user, and port or name) answers there; empty otherwise.
     */
    static Optional<Found> status(Target t, String token) {
        Path socket = t.app().localSocketPath();
        ApiCall a = send(socket, "GET", "/api/status", token, 1 << 20, STATUS_MILLIS);
        if (a == null || a.status() != 200) return Optional.empty();
        try {
            String body = a.text();
            ServiceIdentity id = ServiceIdentity.fromJson(body);
            boolean mine = id.service().equals(Target.SERVICE)
                    && id.user().equals(t.app().user())
                    && (t.named()
                            ? id.name().equals(t.name())
                            : id.port() == t.port() && id.name().isEmpty());
            return mine ? Optional.of(new Found(socket, id, MonitorHttp.counts(body))) : Optional.empty();
        } catch (IOException | RuntimeException notOurAnswer) {
            return Optional.empty();
        }
    }

    /**
     * One request on {@code socket} with the token, its answer read to the close; {@code null} when the
     * socket cannot be used (see the class comment) or the exchange broke.
     */
    static ApiCall send(Path socket, String method, String path, String token, int maxBody) {
        return send(socket, method, path, token, maxBody, ANSWER_MILLIS);
    }

    private static ApiCall send(Path socket, String method, String path, String token, int maxBody, int answerMillis) {
        if (socket == null || !Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) return null;
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                Selector selector = Selector.open()) {
            ch.configureBlocking(false);
            long deadline = System.nanoTime() + CONNECT_MILLIS * 1_000_000L;
            if (!ch.connect(UnixDomainSocketAddress.of(socket))) {
                SelectionKey key = ch.register(selector, SelectionKey.OP_CONNECT);
                while (!ch.finishConnect()) {
                    if (!await(selector, deadline)) return null;
                }
                key.cancel();
                selector.selectNow();
            }
            if (!samePeer(ch, socket)) return null;
            deadline = System.nanoTime() + answerMillis * 1_000_000L;
            ByteBuffer out = ByteBuffer.wrap(ApiCall.request(method, path, "localhost", token));
            SelectionKey key = ch.register(selector, SelectionKey.OP_WRITE);
            while (out.hasRemaining()) {
                if (ch.write(out) == 0 && !await(selector, deadline)) return null;
            }
            key.interestOps(SelectionKey.OP_READ);
            byte[] answer = new byte[8192];
            int n = 0;
            int cap = maxBody + MAX_HEAD;
            while (n < cap) {
                if (n == answer.length) answer = Arrays.copyOf(answer, Math.min(cap, n * 2));
                int r = ch.read(ByteBuffer.wrap(answer, n, answer.length - n));
                if (r < 0) break;
                if (r == 0 && !await(selector, deadline)) return null;
                n += r;
            }
            return ApiCall.read(new java.io.ByteArrayInputStream(answer, 0, n), maxBody);
        } catch (IOException | RuntimeException unusable) {
            return null;
        }
    }

    /** Waits for the registered operation until {@code deadline}; false when it passed. */
    private static boolean await(Selector selector, long deadline) throws IOException {
        long left = (deadline - System.nanoTime()) / 1_000_000L;
        if (left <= 0) return false;
        selector.select(left);
        selector.selectedKeys().clear();
        return true;
    }

    /** Whether the process at the other end (else the file's owner, where the OS does not tell) is this user. */
    static boolean samePeer(SocketChannel ch, Path socket) throws IOException {
        String self = System.getProperty("user.name", "");
        SocketOption<UnixDomainPrincipal> peer = ExtendedSocketOptions.SO_PEERCRED;
        if (ch.supportedOptions().contains(peer))
            return ch.getOption(peer).user().getName().equals(self);
        return Files.getOwner(socket, LinkOption.NOFOLLOW_LINKS).getName().equals(self);
    }
}
