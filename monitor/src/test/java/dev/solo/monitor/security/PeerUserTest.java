package dev.solo.monitor.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.OptionalInt;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The OS user behind a loopback connection, from /proc/net/tcp (the reading itself, with another user's
 * sockets, is core's {@code SocketTableTest}).
 */
@Timeout(30)
class PeerUserTest {
    @Test
    void aLiveLoopbackConnectionIsOurs() throws Exception {
        Assumptions.assumeTrue(PeerUser.supported(), "this OS does not tell a TCP peer's user");
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket accepted = server.accept()) {
            InetSocketAddress local = (InetSocketAddress) accepted.getLocalSocketAddress();
            InetSocketAddress peer = (InetSocketAddress) accepted.getRemoteSocketAddress();
            assertThat(PeerUser.of(local, peer)).isEqualTo(PeerUser.self());
            assertThat(PeerUser.of(peer, local))
                    .as("the server's end, seen from the client")
                    .isEqualTo(PeerUser.self());
            assertThat(PeerUser.of(local, new InetSocketAddress(InetAddress.getLoopbackAddress(), 1)))
                    .as("no such connection")
                    .isEqualTo(OptionalInt.empty());
            assertThat(client.isConnected()).isTrue();
        }
    }

    @Test
    void manyConnectionsAreAnsweredInOrder() throws Exception {
        Assumptions.assumeTrue(PeerUser.supported(), "this OS does not tell a TCP peer's user");
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                Socket a = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket acceptedA = server.accept();
                Socket b = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket acceptedB = server.accept()) {
            InetSocketAddress nowhere = new InetSocketAddress(InetAddress.getLoopbackAddress(), 1);
            int[] owners = PeerUser.owners(
                    Arrays.asList(
                            (InetSocketAddress) acceptedA.getLocalSocketAddress(), nowhere, null, (InetSocketAddress)
                                    acceptedB.getLocalSocketAddress()),
                    Arrays.asList(
                            (InetSocketAddress) acceptedA.getRemoteSocketAddress(),
                            nowhere,
                            nowhere,
                            (InetSocketAddress) acceptedB.getRemoteSocketAddress()));
            int me = PeerUser.self().orElseThrow();
            assertThat(owners).containsExactly(me, -1, -1, me);
            assertThat(a.isConnected() && b.isConnected()).isTrue();
        }
    }
}
