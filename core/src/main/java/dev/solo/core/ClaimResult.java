package dev.solo.core;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What {@link SingleInstance#claim()} found. Exactly one of these:
 *
 * <ul>
 *   <li>{@link Claimed}: we hold the listening sockets; we are the resident.
 *   <li>{@link Running}: our service, same user, answers: reuse it.
 *   <li>{@link Starting}: ours (by the registry), not answering yet, still inside its start-up grace.
 *   <li>{@link ForeignService}: something else holds the port.
 *   <li>{@link OtherUser}: our service, but another OS user's: never reuse it.
 *   <li>{@link Hung}: ours, accepts connections, does not answer in time.
 * </ul>
 *
 * Every kind has a {@link #message()} fit for the user: what happened and what to do.
 */
public sealed interface ClaimResult {

    /** A sentence or two for the user. */
    String message();

    /**
     * We hold the port: a listening socket on 127.0.0.1 and, where it exists, on ::1. Hand it to a
     * {@link LineServer} or an HTTP server; {@link #close()} releases it if neither takes it.
     *
     * <p><b>The same-user socket.</b> {@code localSocket} is where this resident listens on its
     * Unix-domain socket, or {@code null} where it has none (disabled with {@code
     * SingleInstance.Builder.localSocket(false)}, a path too long for the OS, or a socket directory that
     * could not be made private). The claim has made its directory 0700 and removed any file left there:
     * holding the port proves that file's owner gone. A {@link LineServer} binds it itself. An HTTP
     * resident may serve on it too (Jetty 12: {@code UnixDomainServerConnector.setUnixDomainPath(
     * localSocket())}); then it must bind it only while it holds the port, make the file 0600, and delete
     * it before it releases the port. Nothing else may create or delete a file there.
     *
     * @param localSocket the same-user socket's place, or {@code null}
     */
    record Claimed(
            ServiceIdentity identity,
            List<ServerSocketChannel> channels,
            Registry registry,
            InstanceRecord record,
            Path localSocket)
            implements ClaimResult, AutoCloseable {
        public Claimed {
            channels = List.copyOf(channels);
        }

        /** The port held on every loopback. */
        public int port() {
            return identity.port();
        }

        @Override
        public String message() {
            return identity.service() + " claimed port " + identity.port();
        }

        /** Releases the sockets and removes the registry record; for a claim no server took over. */
        @Override
        public void close() {
            for (ServerSocketChannel c : channels) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // releasing a socket nobody uses
                }
            }
            registry.remove(record);
        }
    }

    /** Our service, this user, answering. */
    record Running(ServiceIdentity identity) implements ClaimResult {
        @Override
        public String message() {
            return identity.service() + " is already running on port " + identity.port() + " (pid " + identity.pid()
                    + ")";
        }
    }

    /** Ours by the registry, started {@code age} ago, not answering after {@code waited}. */
    record Starting(InstanceRecord record, Duration waited) implements ClaimResult {
        @Override
        public String message() {
            return record.service() + " (pid " + record.pid() + ") is starting on port " + record.port()
                    + " and did not answer within " + waited.toMillis() + " ms; try again in a moment.";
        }
    }

    /** Something that is not our service holds the port. */
    record ForeignService(int port, String description) implements ClaimResult {
        @Override
        public String message() {
            return "Port " + port + " is held by another program that " + description
                    + ". Stop that program or choose another port.";
        }
    }

    /** Our service, run by another OS user. */
    record OtherUser(ServiceIdentity identity) implements ClaimResult {
        @Override
        public String message() {
            return identity.service() + " on port " + identity.port() + " belongs to user '" + identity.user()
                    + "' (pid " + identity.pid() + "); it is not yours to use. Choose another port.";
        }
    }

    /** Ours, accepting connections, not answering within {@code waited}. */
    record Hung(InstanceRecord record, Duration waited) implements ClaimResult {
        @Override
        public String message() {
            return record.service() + " (pid " + record.pid() + ") holds port " + record.port()
                    + " but did not answer within " + waited.toMillis() + " ms. Stop it with 'kill " + record.pid()
                    + "' (or 'kill -9 " + record.pid() + "' if that does not help) and try again.";
        }
    }
}
