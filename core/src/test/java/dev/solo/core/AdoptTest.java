package dev.solo.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.solo.core.support.Residents;
import dev.solo.testing.Ports;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SingleInstance#adopt}: a listening socket handed over by a service manager (socket
 * activation) is the claim: registered, served, found by clients as if the resident had bound it.
 */
class AdoptTest {
    @TempDir
    Path home;

    private final int port = Ports.free();

    private static ServerSocketChannel listen(String address, int port) throws Exception {
        ServerSocketChannel ch = ServerSocketChannel.open();
        ch.bind(new InetSocketAddress(InetAddress.getByName(address), port));
        return ch;
    }

    @Test
    void anInheritedLoopbackSocketIsTheClaimAndClientsFindTheResidentOnIt() throws Exception {
        SingleInstance app = Residents.app(home, PortPolicy.fixed(port)).build();
        ClaimResult.Claimed claimed = app.adopt(listen("127.0.0.1", port));
        assertThat(claimed.port()).isEqualTo(port);
        assertThat(claimed.identity().pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(app.registry().records()).extracting(InstanceRecord::port).containsExactly(port);
        try (LineServer server = LineServer.builder(app)
                .verb(Verb.exclusive("STDOUT", r -> Response.success("x")))
                .start(claimed)) {
            assertThat(app.find()).get().extracting(ServiceIdentity::port).isEqualTo(port);
        }
    }

    @Test
    void aSocketOffLoopbackOrOffThePolicyIsRefusedWithTheAddress() throws Exception {
        SingleInstance app = Residents.app(home, PortPolicy.fixed(port)).build();
        try (ServerSocketChannel other = listen("127.0.0.1", 0)) {
            int elsewhere = ((InetSocketAddress) other.getLocalAddress()).getPort();
            assertThatThrownBy(() -> app.adopt(other))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("port " + elsewhere)
                    .hasMessageContaining("port " + port);
        }
        try (ServerSocketChannel any = listen("0.0.0.0", 0)) {
            SingleInstance ephemeral =
                    Residents.app(home, PortPolicy.ephemeral()).build();
            assertThatThrownBy(() -> ephemeral.adopt(any))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not on loopback")
                    .hasMessageContaining("ListenStream=127.0.0.1:");
        }
        try (ServerSocketChannel unbound = ServerSocketChannel.open()) {
            assertThatThrownBy(() -> app.adopt(unbound)).hasMessageContaining("not bound");
        }
        assertThat(app.registry().records()).isEmpty();
    }
}
