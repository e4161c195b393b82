package dev.solo.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.solo.core.internal.Platform;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link PeerUsers}: the owner of a loopback peer socket, from the kernel's {@code /proc/net/tcp} tables. */
class PeerUsersTest {
    private static final boolean LITTLE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private static InetSocketAddress at(String address, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(address), port);
    }

    @Test
    void keysAreWrittenAsTheKernelPrintsThem() throws Exception {
        assumeTrue(LITTLE, "the sample lines are from a little-endian machine");
        InetSocketAddress peer = at("127.0.0.1", 0xC350);
        InetSocketAddress us = at("127.0.0.1", 0x1F90);
        assertThat(PeerUsers.ProcNet.key(peer, us, false)).isEqualTo("0100007F:C350 0100007F:1F90");
        assertThat(PeerUsers.ProcNet.key(peer, us, true))
                .isEqualTo("0000000000000000FFFF00000100007F:C350 0000000000000000FFFF00000100007F:1F90");
        assertThat(PeerUsers.ProcNet.key(at("::1", 80), at("::1", 8080), true))
                .isEqualTo("00000000000000000000000001000000:0050 00000000000000000000000001000000:1F90");
    }

    @Test
    void theOwnerIsTheUidOfThePeersLineAndOrphansTellNothing() {
        String table =
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
                        + "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111 1 0 100 0 0 10 0\n"
                        + "   1: 0100007F:C350 0100007F:1F90 01 00000000:00000000 00:00000000 00000000 65534        0 222 1 0 20 4 30 10 -1\n"
                        + "   2: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 333 1 0 20 4 30 10 -1\n"
                        + "   3: 0100007F:C351 0100007F:1F90 06 00000000:00000000 03:00000614 00000000     0        0 0 3 0\n";
        int[] out = {-1, -1, -1};
        PeerUsers.ProcNet.parse(
                table,
                Map.of(
                        "0100007F:C350 0100007F:1F90", 0,
                        "0100007F:C351 0100007F:1F90", 1,
                        "0100007F:C352 0100007F:1F90", 2),
                Set.of(0xC350, 0xC351, 0xC352),
                out);
        assertThat(out[0]).as("the established peer of user 65534").isEqualTo(65534);
        assertThat(out[1])
                .as("a TIME_WAIT line has no inode: unknown, not root")
                .isEqualTo(-1);
        assertThat(out[2]).as("no such line").isEqualTo(-1);
    }

    @Test
    void aGarbledTableFindsNobody() {
        int[] out = {-1};
        PeerUsers.ProcNet.parse("header\nnot a table at all\n\n   0: x\n", Map.of("a b", 0), Set.of(1), out);
        assertThat(out[0]).isEqualTo(-1);
    }

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
