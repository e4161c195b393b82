package dev.solo.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.solo.core.internal.Platform;
import dev.solo.testing.OtherUser;
import dev.solo.testing.Ports;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What the kernel says about a port's holder, whatever the holder says about itself. */
@Timeout(30)
class PortHolderTest {
    @TempDir
    Path dir;

    @Test
    void aListenerOfThisJvmIsNamedWithItsUserAndPid() throws Exception {
        assumeTrue(Platform.isLinux(), "the kernel's socket table is read on Linux only");
        try (ServerSocket held = new ServerSocket()) {
            held.bind(new InetSocketAddress(Platform.LOOPBACK_V4, 0));
            assertThat(new PortHolder().describe(held.getLocalPort()))
                    .isEqualTo("; its socket belongs to you (uid " + Platform.uid() + "), pid "
                            + ProcessHandle.current().pid() + " (java)");
        }
    }

    @Test
    void aFreePortOrAnOSWithoutTheTableAddsNothing() throws Exception {
        assertThat(new PortHolder().describe(Ports.free())).isEmpty();
        assertThat(new PortHolder(dir, 1000).describe(8765))
                .as("no tables under this /proc")
                .isEmpty();
    }

    /** Only a listening line counts, from either table; a connection on the same port is not its holder. */
    @Test
    void theListenerLineIsFoundAmongConnections() throws Exception {
        assumeTrue(Platform.isLinux(), "the describing reads /etc/passwd and /proc");
        Path net = Files.createDirectories(dir.resolve("net"));
        String header =
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
        Files.writeString(
                net.resolve("tcp"),
                header
                        + "   0: 0100007F:223D 0100007F:9C40 01 00000000:00000000 00:00000000 00000000  1000        0 555 1\n");
        Files.writeString(
                net.resolve("tcp6"),
                header
                        + "   0: 00000000000000000000000001000000:223D 00000000000000000000000000000000:0000 0A"
                        + " 00000000:00000000 00:00000000 00000000 65534        0 777 1\n");
        assertThat(new PortHolder(dir, 1000).describe(8765))
                .startsWith("; its socket belongs to user '")
                .contains("(uid 65534)");
        assertThat(new PortHolder(dir, 1000).describe(8766)).isEmpty();
    }

    /**
     * Squatters of another OS user on three ports: each named with its user and (this user being root, who
     * sees every process) its pid, from one scan of the processes for all the questions of one claim.
     */
    @Test
    void anotherUsersListenersAreNamedWithTheirUserAndPidFromOneScan() throws Exception {
        assumeTrue(Platform.isLinux(), "the kernel's socket table is read on Linux only");
        try (OtherUser nobody = new OtherUser(dir)) {
            int first = Ports.freeRange(3);
            Process squatter = nobody.start(
                    List.of(
                            OtherUser.program("python3"),
                            "-c",
                            "import socket,sys,time\n"
                                    + "ls=[socket.socket() for p in range(3)]\n"
                                    + "[l.bind(('127.0.0.1'," + first + "+i)) or l.listen() for i,l in enumerate(ls)]\n"
                                    + "print('ready'); sys.stdout.flush(); time.sleep(60)"),
                    Map.of());
            PortHolder holders = new PortHolder();
            String said = "; its socket belongs to user 'nobody' (uid " + OtherUser.NOBODY_UID + "), pid "
                    + squatter.pid() + " (python3)"; // setpriv execs python3 in place
            for (int port = first; port < first + 3; port++)
                assertThat(holders.describe(port)).as("port %d", port).isEqualTo(said);
            assertThat(holders.describe(first)).as("asked again").isEqualTo(said);
            assertThat(holders.scans)
                    .as("scans of /proc/*/fd for four questions")
                    .isEqualTo(1);
        }
    }
}
