package dev.solo.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.solo.core.internal.Platform;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link PeerUsers}: the owner of a loopback peer socket, from the kernel's {@code /proc/net/tcp} tables (the
 * reading itself is {@code SocketTableTest}'s).
 */
class PeerUsersTest {
    /** The real tables: a connection made by this JVM belongs to this JVM's user. */
    @Test
    void theKernelNamesThisProcessAsTheOwnerOfItsOwnConnections() throws Exception {
        PeerUsers peers = PeerUsers.forPlatform();
        assumeTrue(peers.available(), "only where /proc/net/tcp tells socket owners (Linux)");
        assertThat(peers.self()).isEqualTo(Platform.uid()).isNotNegative();
        try (ServerSocket server = new ServerSocket(0, 5, Platform.LOOPBACK_V4);
                Socket client = new Socket(Platform.LOOPBACK_V4, server.getLocalPort());
                Socket accepted = server.accept()) {
            int[] owners = peers.owners(
                    List.of((InetSocketAddress) accepted.getRemoteSocketAddress()),
                    List.of((InetSocketAddress) accepted.getLocalSocketAddress()));
            assertThat(owners).containsExactly(Platform.uid());
            assertThat(client.isConnected()).isTrue();
        }
    }
}
