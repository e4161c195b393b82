package dev.solo.core;

import dev.solo.core.internal.Platform;
import dev.solo.core.internal.PortScan;
import dev.solo.core.internal.Probe;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the TCP resident of one {@link SingleInstance}: the registry hint first, then the port policy
 * (the one fixed port, or a scan of the range). Only a holder that names the service, port, user and
 * instance name the client dialed, and proves with an HMAC bound to them that it knows the token,
 * counts.
 *
 * <p>Stateless apart from the app's settings; thread-safe.
 */
final class Discovery {
    /** The most {@code HELLO}s a scan has in flight at once (each is a socket and a thread). */
    static final int PARALLEL_HELLOS = 16;

    private final SingleInstance app;

    Discovery(SingleInstance app) {
        this.app = app;
    }

    /**
     * The resident, with its {@code HELLO} connection still open when {@code keepOpen} (for {@code
     * AUTH}); stale hints on the way are checked and removed by the registry's rule.
     */
    Optional<Probe.Answered> locate(boolean keepOpen, Token token) {
        return locate(keepOpen, token, new HashSet<>());
    }

    /**
     * {@link #locate(boolean, Token)}, adding to {@code silentHints} each hinted port that accepted the
     * connection and did not answer within the probe timeout, so a caller that must name its holder need
     * not ask it (and wait) again.
     */
    Optional<Probe.Answered> locate(boolean keepOpen, Token token, Set<Integer> silentHints) {
        String nonce = Token.nonce();
        Set<Integer> tried = new HashSet<>();
        List<Integer> hints = new ArrayList<>(app.registry().hintedPorts(app.service()));
        Collections.sort(hints);
        for (int port : hints) {
            if (!inPolicy(port) || !tried.add(port)) continue;
            Probe.Result r = ask(port, nonce, keepOpen);
            Optional<Probe.Answered> a = ours(r, port, nonce, token);
            if (a.isPresent()) return a;
            if (r instanceof Probe.Silent) silentHints.add(port);
            dropStaleRecords(port, r instanceof Probe.Silent);
        }
        PortPolicy policy = app.policy();
        if (policy instanceof PortPolicy.Ephemeral) return Optional.empty();
        return scan(policy.first(), policy.last(), tried, nonce, token, keepOpen);
    }

    /**
     * The lowest port of {@code from..to} (minus {@code skip}) where our resident answers. Ports that
     * accept connections are found with a bounded non-blocking scan, then asked {@code HELLO} at most
     * {@value #PARALLEL_HELLOS} at a time, so a silent foreign port does not hold the others up and a
     * range of thousands of ports never needs thousands of sockets or threads.
     */
    Optional<Probe.Answered> scan(int from, int to, Set<Integer> skip, String nonce, Token token, boolean keepOpen) {
        List<Integer> open;
        if (from == to) {
            open = skip.contains(from) ? List.of() : List.of(from);
        } else {
            try {
                open = PortScan.openPorts(Platform.LOOPBACK_V4, from, to, skip, app.probeTimeoutMillis());
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        if (open.size() == 1) return hello(open.get(0), nonce, token, keepOpen);
        for (int i = 0; i < open.size(); i += PARALLEL_HELLOS) {
            List<Integer> batch = open.subList(i, Math.min(open.size(), i + PARALLEL_HELLOS));
            Optional<Probe.Answered> found = helloAll(batch, nonce, token, keepOpen);
            if (found.isPresent()) return found;
        }
        return Optional.empty();
    }

    /** {@code HELLO} to every port of {@code ports} at once, one thread each; the lowest of ours wins. */
    private Optional<Probe.Answered> helloAll(List<Integer> ports, String nonce, Token token, boolean keepOpen) {
        List<Ask> asks = new ArrayList<>(ports.size());
        for (int port : ports) {
            Ask ask = new Ask(port, nonce, token, keepOpen);
            asks.add(ask);
            ask.start();
        }
        Optional<Probe.Answered> lowest = Optional.empty();
        boolean interrupted = false;
        for (Ask ask : asks) {
            while (ask.isAlive()) {
                try {
                    ask.join();
                } catch (InterruptedException e) {
                    interrupted = true; // finish collecting, so no open session is left behind
                }
            }
            Optional<Probe.Answered> a = ask.result;
            if (a.isEmpty()) continue;
            if (lowest.isEmpty()) {
                lowest = a;
            } else {
                closeQuietly(a.get().session());
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        return lowest;
    }

    /** One {@code HELLO} on its own daemon thread: probes block for up to the probe timeout. */
    private final class Ask extends Thread {
        private final int port;
        private final String nonce;
        private final Token token;
        private final boolean keepOpen;
        volatile Optional<Probe.Answered> result = Optional.empty();

        Ask(int port, String nonce, Token token, boolean keepOpen) {
            super("solo-" + app.service() + "-probe-" + port);
            setDaemon(true);
            this.port = port;
            this.nonce = nonce;
            this.token = token;
            this.keepOpen = keepOpen;
        }

        @Override
        public void run() {
            result = hello(port, nonce, token, keepOpen);
        }
    }

    /** {@code HELLO} (or {@code GET /health}) to one port; present only for a proven resident of ours. */
    Optional<Probe.Answered> hello(int port, String nonce, Token token, boolean keepOpen) {
        return ours(ask(port, nonce, keepOpen), port, nonce, token);
    }

    private Probe.Result ask(int port, String nonce, boolean keepOpen) {
        InetSocketAddress address = new InetSocketAddress(Platform.LOOPBACK_V4, port);
        int timeout = app.probeTimeoutMillis();
        return app.protocol() == Protocol.HTTP
                ? Probe.health(address, nonce, timeout)
                : Probe.hello(address, nonce, timeout, keepOpen);
    }

    /** The answer of {@link #ask}, when it is a proven resident of ours (else its session is closed). */
    private Optional<Probe.Answered> ours(Probe.Result r, int port, String nonce, Token token) {
        if (r instanceof Probe.Answered a) {
            ServiceIdentity id = a.identity();
            // Service and port first: the proof binds them, so a nonce relayed to another resident of
            // this user comes back with that resident's service or port and fails here.
            if (id.service().equals(app.service())
                    && id.port() == port
                    && id.user().equals(app.user())
                    && id.name().equals(app.name())
                    && token.verifiesProof(nonce, id, a.proof())) {
                return Optional.of(a);
            }
            closeQuietly(a.session());
        }
        return Optional.empty();
    }

    /**
     * Checks the records of a hinted port where no resident of ours answered. After a silent probe only
     * the records of dead processes are checked (removed): a live one that held its port silent keeps its
     * record by the registry's rule anyway, and probing it again would wait the probe timeout once more.
     */
    private void dropStaleRecords(int port, boolean silent) {
        Registry registry = app.registry();
        for (InstanceRecord r : registry.records(app.service())) {
            if (r.port() != port || (silent && Claimer.alive(r.pid()))) continue;
            registry.verify(r, app.probeTimeout());
        }
    }

    boolean inPolicy(int port) {
        PortPolicy policy = app.policy();
        if (policy instanceof PortPolicy.Ephemeral) return true;
        return port >= policy.first() && port <= policy.last();
    }

    static void closeQuietly(Probe.Session session) {
        if (session != null) session.close();
    }
}
