package dev.solo.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.solo.testing.OtherUser;
import dev.solo.testing.Ports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel's socket table: sample tables for the corners, and the real tables with sockets of this JVM
 * (IPv4, IPv6, IPv4 on an IPv6 socket) and of another OS user ({@code nobody}).
 */
@Timeout(60)
class SocketTableTest {
    private static final boolean LITTLE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final String HEADER =
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";

    @TempDir
    Path dir;

    private static InetSocketAddress at(String address, int port) throws IOException {
        return new InetSocketAddress(InetAddress.getByName(address), port);
    }

    private static String printed(InetSocketAddress a, boolean table6) {
        return new String(SocketTable.endpoint(a, table6), StandardCharsets.US_ASCII);
    }

    private SocketTable tables(String tcp, String tcp6) throws IOException {
        if (tcp != null) Files.writeString(dir.resolve("tcp"), tcp, StandardCharsets.US_ASCII);
        if (tcp6 != null) Files.writeString(dir.resolve("tcp6"), tcp6, StandardCharsets.US_ASCII);
        return new SocketTable(dir);
    }

    @Test
    void endpointsAreWrittenAsTheKernelPrintsThem() throws Exception {
        assumeTrue(LITTLE, "the sample lines are from a little-endian machine");
        assertThat(printed(at("127.0.0.1", 0xC350), false)).isEqualTo("0100007F:C350");
        assertThat(printed(at("127.0.0.1", 0x1F90), true)).isEqualTo("0000000000000000FFFF00000100007F:1F90");
        assertThat(printed(at("::1", 80), true)).isEqualTo("00000000000000000000000001000000:0050");
    }

    @Test
    void theOwnerIsTheUidOfThePeersLineAndOrphansTellNothing() throws Exception {
        assumeTrue(LITTLE, "the sample lines are from a little-endian machine");
        SocketTable table = tables(
                HEADER
                        + "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111 1 0 100 0 0 10 0\n"
                        + "   1: 0100007F:C350 0100007F:1F90 01 00000000:00000000 00:00000000 00000000 65534        0 222 1 0 20 4 30 10 -1\n"
                        + "   2: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 333 1 0 20 4 30 10 -1\n"
                        + "   3: 0100007F:C351 0100007F:1F90 06 00000000:00000000 03:00000614 00000000     0        0 0 3 0",
                null);
        InetSocketAddress us = at("127.0.0.1", 0x1F90);
        int[] out = table.owners(
                List.of(at("127.0.0.1", 0xC350), at("127.0.0.1", 0xC351), at("127.0.0.1", 0xC352), us),
                List.of(us, us, us, at("127.0.0.1", 0xC350)));
        assertThat(out[0]).as("the established peer of user 65534").isEqualTo(65534);
        assertThat(out[1])
                .as("a TIME_WAIT line has no inode: unknown, not root")
                .isEqualTo(-1);
        assertThat(out[2]).as("no such line").isEqualTo(-1);
        assertThat(out[3]).as("the other end, from its own line").isZero();
    }

    @Test
    void anIpv4PeerOnAnIpv6SocketIsFoundInTheIpv6Table() throws Exception {
        assumeTrue(LITTLE, "the sample lines are from a little-endian machine");
        SocketTable table = tables(
                HEADER,
                HEADER
                        + "   0: 0000000000000000FFFF00000100007F:C350 0000000000000000FFFF00000100007F:1F90 01"
                        + " 00000000:00000000 00:00000000 00000000  1000        0 444 1\n"
                        + "   1: 00000000000000000000000001000000:C351 00000000000000000000000001000000:1F90 01"
                        + " 00000000:00000000 00:00000000 00000000  1001        0 445 1\n");
        int[] out = table.owners(
                List.of(at("127.0.0.1", 0xC350), at("::1", 0xC351)),
                List.of(at("127.0.0.1", 0x1F90), at("::1", 0x1F90)));
        assertThat(out).containsExactly(1000, 1001);
    }

    @Test
    void aGarbledOrMissingTableFindsNobody() throws Exception {
        SocketTable table = tables("header\nnot a table at all\n\n   0: x\n   1: a b c d e f g h i j\n", null);
        assertThat(table.owners(List.of(at("127.0.0.1", 1)), List.of(at("127.0.0.1", 2))))
                .containsExactly(-1);
        assertThat(table.listener(1)).isNull();
        SocketTable none = new SocketTable(dir.resolve("nothing"));
        assertThat(none.readable()).isFalse();
        assertThat(none.owners(List.of(at("127.0.0.1", 1)), List.of(at("127.0.0.1", 2))))
                .containsExactly(-1);
        assertThat(none.listener(1)).isNull();
    }

    /** Only a listening line counts, from either table; a connection on the same port is not its holder. */
    @Test
    void theListenerLineIsFoundAmongConnections() throws Exception {
        SocketTable table = tables(
                HEADER
                        + "   0: 0100007F:223D 0100007F:9C40 01 00000000:00000000 00:00000000 00000000  1000        0 555 1\n",
                HEADER
                        + "   0: 00000000000000000000000001000000:223D 00000000000000000000000000000000:0000 0A"
                        + " 00000000:00000000 00:00000000 00000000 65534        0 777 1\n");
        assertThat(table.listener(8765)).isEqualTo(new SocketTable.Listener(65534, 777));
        assertThat(table.listener(8766)).isNull();
    }

    /** The real tables: connections of this JVM over IPv4, IPv6 and IPv4 on a dual-stack socket. */
    @Test
    void theKernelNamesThisProcessAsTheOwnerOfItsOwnConnections() throws Exception {
        SocketTable table = SocketTable.proc();
        assumeTrue(table.readable() && Platform.uid() >= 0, "only where /proc/net/tcp tells socket owners (Linux)");
        List<InetSocketAddress> remotes = new ArrayList<>();
        List<InetSocketAddress> locals = new ArrayList<>();
        List<AutoCloseable> open = new ArrayList<>();
        try {
            List<InetAddress> binds = new ArrayList<>(List.of(Platform.LOOPBACK_V4));
            if (Platform.hasIpv6Loopback()) binds.add(Platform.LOOPBACK_V6);
            binds.add(InetAddress.getByName("::")); // dual-stack: a client on 127.0.0.1 shows as ::ffff:127.0.0.1
            for (InetAddress bind : binds) {
                ServerSocket server = new ServerSocket(0, 5, bind);
                open.add(server);
                InetAddress to = bind.isAnyLocalAddress() ? Platform.LOOPBACK_V4 : bind;
                open.add(new Socket(to, server.getLocalPort()));
                Socket accepted = server.accept();
                open.add(accepted);
                remotes.add((InetSocketAddress) accepted.getRemoteSocketAddress());
                locals.add((InetSocketAddress) accepted.getLocalSocketAddress());
                assertThat(table.listener(server.getLocalPort()))
                        .as("the listener on %s", server.getLocalSocketAddress())
                        .isNotNull()
                        .extracting(SocketTable.Listener::uid)
                        .isEqualTo(Platform.uid());
            }
            int[] expected = new int[remotes.size()];
            java.util.Arrays.fill(expected, Platform.uid());
            assertThat(table.owners(remotes, locals))
                    .as("owners of %s", remotes)
                    .containsExactly(expected);
        } finally {
            for (AutoCloseable c : open) c.close();
        }
    }

    /**
     * The real tables: a connection (a C program's IPv4 socket, in the IPv4 table) and a listener on the IPv6
     * loopback of another OS user are named as that user's.
     */
    @Test
    void anotherUsersSocketsAreNamedAsTheirs() throws Exception {
        assumeTrue(Platform.isLinux(), "the kernel's socket table is read on Linux only");
        try (OtherUser nobody = new OtherUser(dir);
                ServerSocket server = new ServerSocket(0, 5, Platform.LOOPBACK_V4)) {
            int theirs = Ports.free();
            nobody.start(
                    List.of(
                            OtherUser.program("python3"),
                            "-c",
                            "import socket,sys,time\n"
                                    + "c=socket.create_connection(('127.0.0.1'," + server.getLocalPort() + "))\n"
                                    + "l=socket.socket(socket.AF_INET6); l.bind(('::1'," + theirs + ")); l.listen()\n"
                                    + "print('ready'); sys.stdout.flush(); time.sleep(60)"),
                    Map.of());
            assertThat(SocketTable.proc().listener(theirs))
                    .as("nobody's listener on [::1]:%d", theirs)
                    .isNotNull()
                    .extracting(SocketTable.Listener::uid)
                    .isEqualTo(OtherUser.NOBODY_UID);
            try (Socket accepted = server.accept()) {
                int[] owners = SocketTable.proc()
                        .owners(
                                List.of((InetSocketAddress) accepted.getRemoteSocketAddress()),
                                List.of((InetSocketAddress) accepted.getLocalSocketAddress()));
                assertThat(owners).containsExactly(OtherUser.NOBODY_UID);
            }
        }
    }
}
