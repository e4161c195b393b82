package dev.solo.monitor.server;

import java.io.IOException;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;

/**
 * The monitor's API also on its same-user Unix-domain socket, at the place solo-core gives the claim
 * ({@code ClaimResult.Claimed#localSocket()}, in a 0700 directory of this user): the same handler, Host
 * and credential checks as on TCP, for the command line's {@code status}, {@code stop}, {@code open} and
 * reuse, which reach it with one connect and no proof (only this user can reach that directory).
 *
 * <p>Where the OS tells a connection's peer ({@code SO_PEERCRED}: Linux, macOS), a peer of another user
 * (root, who ignores the directory's mode) gets its connection shut at once, before a byte is read.
 *
 * <p>Contract with the claim: the file is bound only while the monitor holds the TCP port (the claim
 * removed any file a killed monitor left there), made 0600, and deleted by Jetty when the connector
 * stops. The connector must be added before the TCP connectors, so Jetty stops it (and deletes the
 * file) before the port is released and a new monitor may bind the same place.
 */
final class LocalApi {
    private LocalApi() {}

    /**
     * Adds the connector for {@code path} to {@code jetty} (not started yet); nothing when {@code path}
     * is {@code null} (no socket for this monitor: TCP only).
     */
    static UnixDomainServerConnector add(Server jetty, HttpConfiguration http, Path path) {
        if (path == null) return null;
        UnixDomainServerConnector c = new SameUserConnector(jetty, new HttpConnectionFactory(http));
        c.setUnixDomainPath(path);
        c.setIdleTimeout(60_000);
        jetty.addConnector(c);
        return c;
    }

    /** After Jetty started: the socket file readable and writable by its owner only. */
    static void restrict(UnixDomainServerConnector c) throws IOException {
        if (c == null) return;
        try {
            Files.setPosixFilePermissions(c.getUnixDomainPath(), PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the directory's ACL is what guards it
        }
    }

    /** Shuts connections of another OS user where the OS says who the peer is. */
    private static final class SameUserConnector extends UnixDomainServerConnector {
        private static final String SELF = System.getProperty("user.name", "");

        SameUserConnector(Server server, HttpConnectionFactory http) {
            super(server, 0, 1, http); // the selector accepts, as on TCP
        }

        @Override
        protected void configure(SocketChannel channel) throws IOException {
            super.configure(channel);
            if (!samePeer(channel)) {
                // Closing here would make Jetty's accept of it fail; a shut channel just ends.
                channel.shutdownInput();
                channel.shutdownOutput();
            }
        }

        private static boolean samePeer(SocketChannel channel) {
            SocketOption<UnixDomainPrincipal> peer = ExtendedSocketOptions.SO_PEERCRED;
            try {
                if (!channel.supportedOptions().contains(peer)) return true; // the OS does not tell: mode 0700 only
                return channel.getOption(peer).user().getName().equals(SELF);
            } catch (IOException | RuntimeException unknown) {
                return false;
            }
        }
    }
}
