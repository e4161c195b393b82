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
     * A squatter of another OS user: named with its user, and (this user being root, who sees every process)
     * its pid; many questions of one claim scan the processes once.
     */
    @Test
    void anotherUsersListenerIsNamedWithItsUserAndPid() throws Exception {
        assumeTrue(Platform.isLinux(), "the kernel's socket table is read on Linux only");
        try (OtherUser nobody = new OtherUser(dir)) {
            int port = Ports.free();
            Process squatter = nobody.start(
                    List.of(
                            OtherUser.program("python3"),
                            "-c",
                            "import socket,sys,time\n"
                                    + "l=socket.socket(); l.bind(('127.0.0.1'," + port + ")); l.listen()\n"
                                    + "print('ready'); sys.stdout.flush(); time.sleep(60)"),
                    Map.of());
            long pid = squatter.descendants()
                    .filter(p -> p.info().command().orElse("").contains("python"))
                    .map(ProcessHandle::pid)
                    .findFirst()
                    .orElse(squatter.pid()); // setpriv execs python3 in place
            PortHolder holders = new PortHolder();
            String said = "; its socket belongs to user 'nobody' (uid " + OtherUser.NOBODY_UID + "), pid " + pid
                    + " (python3)";
            assertThat(holders.describe(port)).isEqualTo(said);
            assertThat(holders.describe(port))
                    .as("asked again, from the same scan")
                    .isEqualTo(said);
        }
    }
}
