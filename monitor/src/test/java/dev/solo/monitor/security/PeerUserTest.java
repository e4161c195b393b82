package dev.solo.monitor.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteOrder;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The OS user behind a loopback connection, from /proc/net/tcp. */
class PeerUserTest {
    @Test
    void findsThePeersLineByBothAddresses() {
        Assumptions.assumeTrue(
                ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "the sample lines are little-endian");
        List<String> lines = List.of(
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1",
                "   1: 0100007F:D431 0100007F:1F90 01 00000000:00000000 00:00000000 00000000 65534        0 2 1",
                "   2: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 3 1");
        InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0x1F90);
        InetSocketAddress client = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0xD431);
        assertThat(PeerUser.find(lines, server, client)).isEqualTo(OptionalInt.of(65534));
        assertThat(PeerUser.find(lines, client, server)).isEqualTo(OptionalInt.of(0));
        assertThat(PeerUser.find(lines, server, new InetSocketAddress(InetAddress.getLoopbackAddress(), 1)))
                .isEmpty();
    }

    @Test
    void readsIpv6Words() throws Exception {
        Assumptions.assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "the sample line is little-endian");
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 8765);
        assertThat(PeerUser.matches("00000000000000000000000001000000:223D", v6))
                .isTrue();
        assertThat(PeerUser.matches("00000000000000000000000001000000:223E", v6))
                .isFalse();
        // an IPv4 connection on an IPv6 socket: ::ffff:127.0.0.1
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8765);
        assertThat(PeerUser.matches("0000000000000000FFFF00000100007F:223D", v4))
                .isTrue();
    }

    @Test
    void aLiveLoopbackConnectionIsOurs() throws Exception {
        Assumptions.assumeTrue(PeerUser.supported(), "this OS does not tell a TCP peer's user");
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket accepted = server.accept()) {
            OptionalInt peer = PeerUser.of((InetSocketAddress) accepted.getLocalSocketAddress(), (InetSocketAddress)
                    accepted.getRemoteSocketAddress());
            assertThat(peer).isEqualTo(PeerUser.self());
            assertThat(client.isConnected()).isTrue();
        }
    }
}
