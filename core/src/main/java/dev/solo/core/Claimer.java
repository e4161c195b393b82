package dev.solo.core;

import dev.solo.core.internal.Binder;
import dev.solo.core.internal.Platform;
import dev.solo.core.internal.Probe;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The claim of one {@link SingleInstance}: bind the port (the bind is the lock), or classify whoever
 * holds it; and {@link #inspect()}, the same classification without binding.
 *
 * <p>Under a range the claimer never takes a second port while a resident of ours lives: it first
 * looks for one that answers anywhere in the range, then at the ports of recorded residents whose
 * process is alive (a flooded or stopped resident answers nothing, but still holds its port), and
 * after its own bind it checks the ports below once more and yields to one of ours there.
 */
final class Claimer {
    private final SingleInstance app;
    private final Discovery discovery;
    private PortHolder holders;

    Claimer(SingleInstance app, Discovery discovery) {
        this.app = app;
        this.discovery = discovery;
    }

    ClaimResult claim() {
        long deadline = System.nanoTime() + app.startWait().toNanos();
        if (app.policy() instanceof PortPolicy.Range range) return claimRange(range, deadline);
        ClaimResult r = claimPort(app.policy().first(), deadline);
        return r instanceof ClaimResult.Claimed c ? app.withLocalSocket(c) : r;
    }

    private ClaimResult claimRange(PortPolicy.Range range, long deadline) {
        Optional<ServiceIdentity> existing = app.find();
        if (existing.isPresent()) return new ClaimResult.Running(existing.get());
        Optional<ClaimResult> recorded = recordedResident(deadline);
        if (recorded.isPresent()) return recorded.get();
        String firstForeign = null;
        for (int port = range.start(); port <= range.end(); port++) {
            ClaimResult r = claimPort(port, deadline);
            if (r instanceof ClaimResult.Claimed claimed) {
                Optional<ClaimResult> ours = port > range.start() ? oursBelow(range.start(), port) : Optional.empty();
                if (ours.isPresent()) {
                    // Someone of ours took a lower port while we walked up: yield to it.
                    claimed.close();
                    return ours.get();
                }
                return app.withLocalSocket(claimed);
            }
            if (r instanceof ClaimResult.ForeignService f) {
                if (firstForeign == null) firstForeign = f.description();
                continue;
            }
            if (r instanceof ClaimResult.OtherUser) continue;
            return r; // Running, Starting or Hung: ours, so never take a second port
        }
        return new ClaimResult.ForeignService(
                range.start(),
                firstForeign + "; every other port of " + range.start() + "-" + range.end()
                        + " is taken too (set " + PortPolicy.ENV_START + "/" + PortPolicy.ENV_END
                        + " to a free range)");
    }

    /** A resident of ours that answers on a port of {@code from..below-1}, or is recorded there alive. */
    private Optional<ClaimResult> oursBelow(int from, int below) {
        Optional<ServiceIdentity> lower = discovery
                .scan(from, below - 1, Set.of(), Token.nonce(), app.registry().token(), false)
                .map(Probe.Answered::identity);
        if (lower.isPresent()) return Optional.of(new ClaimResult.Running(lower.get()));
        for (InstanceRecord r : app.registry().records(app.service())) {
            if (r.name().equals(app.name()) && r.port() >= from && r.port() < below && alive(r.pid())) {
                if (!bindable(r.port())) return Optional.of(silentResident(r, app.probeTimeout()));
            }
        }
        return Optional.empty();
    }

    /**
     * The resident recorded in this range whose process lives and whose port is held, classified
     * ({@link ClaimResult.Running}, {@link ClaimResult.Starting} or {@link ClaimResult.Hung}); its record
     * is removed when its port turns out to be free.
     */
    private Optional<ClaimResult> recordedResident(long deadline) {
        for (InstanceRecord r : app.registry().records(app.service())) {
            if (!r.name().equals(app.name()) || !discovery.inPolicy(r.port()) || !alive(r.pid())) continue;
            long backoffMillis = 5;
            while (true) {
                if (bindable(r.port())) {
                    app.registry().remove(r);
                    break;
                }
                ClaimResult held = claimPort(r.port(), deadline);
                if (held instanceof ClaimResult.Claimed c) {
                    c.close(); // it left just now; walk the range from the bottom as usual
                    break;
                }
                if (!(held instanceof ClaimResult.ForeignService) && !(held instanceof ClaimResult.OtherUser)) {
                    return Optional.of(held); // Running, Starting or Hung
                }
                // The recorded process lives and its port does not answer as it: still starting, flooded,
                // or shutting down. Ask again until the start-wait is over; taking another port would make
                // two residents.
                if (System.nanoTime() - deadline > 0) return Optional.of(silentResident(r, app.startWait()));
                pause(backoffMillis, deadline);
                backoffMillis = Math.min(backoffMillis * 2, 200);
                if (!alive(r.pid())) break;
            }
        }
        return Optional.empty();
    }

    private ClaimResult claimPort(int port, long deadline) {
        long silentSince = -1;
        long backoffMillis = 5;
        while (true) {
            Binder.BindFailure failure;
            try {
                return claimed(Binder.bind(port));
            } catch (Binder.BindFailure f) {
                failure = f;
            } catch (IOException e) {
                throw new SoloException(
                        "cannot listen on loopback port " + port + " (" + e.getMessage()
                                + "). Check that the loopback interface is up.",
                        e);
            }
            String nonce = Token.nonce();
            InetSocketAddress holder = new InetSocketAddress(failure.address(), port);
            Probe.Result probe = Probe.probe(app.protocol(), holder, nonce, app.probeTimeoutMillis());
            long now = System.nanoTime();
            if (probe instanceof Probe.Answered a) {
                Discovery.closeQuietly(a.session());
                return judge(a.identity(), a.proof(), nonce, port);
            }
            if (probe instanceof Probe.Foreign f) {
                return foreign(port, f.description() + onlyOn(failure.address()));
            }
            if (probe instanceof Probe.Refused) {
                // The holder is gone (or binds without listening): try the bind again, within bounds.
                if (now - deadline > 0) {
                    return foreign(port, "holds it without accepting connections");
                }
            } else if (probe instanceof Probe.Silent) {
                if (silentSince < 0) silentSince = now;
                Optional<InstanceRecord> ours = recordOf(port);
                long silentFor = now - silentSince + app.probeTimeout().toNanos();
                if (ours.isPresent()) {
                    if (now - deadline > 0) return silentResident(ours.get(), Duration.ofNanos(silentFor));
                } else if (silentFor > 2 * app.probeTimeout().toNanos() || now - deadline > 0) {
                    return foreign(
                            port,
                            "accepts connections but did not answer within " + TimeUnit.NANOSECONDS.toMillis(silentFor)
                                    + " ms" + onlyOn(failure.address()));
                }
            }
            pause(backoffMillis, deadline);
            backoffMillis = Math.min(backoffMillis * 2, 200);
        }
    }

    /** A recorded resident of ours that does not answer: still starting, or hung. */
    private ClaimResult silentResident(InstanceRecord record, Duration waited) {
        return young(record) ? new ClaimResult.Starting(record, waited) : new ClaimResult.Hung(record, waited);
    }

    /** " (on [::1] only; …)" when the holder sits on the IPv6 loopback: 127.0.0.1 was free. */
    private static String onlyOn(InetAddress address) {
        return address instanceof Inet6Address ? " (on [::1] only; 127.0.0.1 is free)" : "";
    }

    /** Classifies a holder that answered with an identity and a proof of {@code nonce}. */
    private ClaimResult judge(ServiceIdentity identity, String proof, String nonce, int port) {
        String service = app.service();
        if (identity.port() != port
                && (identity.port() != 0 || identity.service().equals(service))) {
            // Whoever holds the port passed on the answer of a resident elsewhere (a relay): its pid and
            // proof belong to that resident, not to the holder.
            return foreign(port, relayed(identity));
        }
        if (!identity.service().equals(service)) {
            return foreign(port, "answers as service '" + identity.service() + "' (pid " + identity.pid() + ")");
        }
        if (!identity.user().equals(app.user())) return new ClaimResult.OtherUser(identity);
        if (!app.registry().token().verifiesProof(nonce, identity, proof)) {
            return foreign(
                    port,
                    "calls itself " + service + " of user " + app.user() + " (pid " + identity.pid()
                            + ") but cannot prove it knows your token ("
                            + app.registry().tokenFile() + ")");
        }
        return new ClaimResult.Running(identity);
    }

    /**
     * A foreign holder of {@code port}, with whom the kernel says holds it (see {@link PortHolder}; one per
     * claim or inspection, made at the first foreign holder, so its scan of the processes is done once).
     */
    private ClaimResult.ForeignService foreign(int port, String description) {
        if (holders == null) holders = new PortHolder();
        return new ClaimResult.ForeignService(port, description + holders.describe(port));
    }

    /** What a holder that relays another resident's identity is told it does. */
    static String relayed(ServiceIdentity identity) {
        return "answers with the identity of " + identity.service() + " on port " + identity.port()
                + ", not its own: it relays another program's answer";
    }

    private ClaimResult.Claimed claimed(List<ServerSocketChannel> channels) throws IOException {
        int port = ((InetSocketAddress) channels.get(0).getLocalAddress()).getPort();
        ServiceIdentity identity = new ServiceIdentity(
                app.service(),
                app.version(),
                ProcessHandle.current().pid(),
                app.user(),
                Token.nonce().substring(0, 12),
                app.clock().instant(),
                port,
                app.name(),
                ServiceIdentity.State.IDLE);
        InstanceRecord record = InstanceRecord.of(identity, app.protocol(), app.log());
        try {
            app.registry().register(record);
        } catch (RuntimeException e) {
            for (ServerSocketChannel c : channels) c.close();
            throw e;
        }
        return new ClaimResult.Claimed(identity, channels, app.registry(), record, null);
    }

    /** A listening socket handed over by a service manager, as the claim; see {@link SingleInstance#adopt}. */
    ClaimResult.Claimed adopt(ServerSocketChannel channel) throws IOException {
        if (!(channel.getLocalAddress() instanceof InetSocketAddress local) || local.getPort() == 0) {
            throw new IllegalArgumentException("the inherited socket is not bound to a TCP port ("
                    + channel.getLocalAddress() + "); the service unit must listen on 127.0.0.1:<port>");
        }
        if (!local.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("the inherited socket listens on " + local + ", not on loopback; "
                    + app.service() + " serves 127.0.0.1 only. Set ListenStream=127.0.0.1:" + local.getPort() + ".");
        }
        if (!discovery.inPolicy(local.getPort())) {
            throw new IllegalArgumentException("the inherited socket listens on port " + local.getPort() + ", but "
                    + app.service() + " was asked for " + app.policy() + "; make the unit and the command agree.");
        }
        channel.configureBlocking(true);
        return app.withLocalSocket(claimed(List.of(channel)));
    }

    /** Who holds this service's port now, without taking it; see {@link SingleInstance#inspect()}. */
    Optional<ClaimResult> inspect() {
        if (app.policy() instanceof PortPolicy.Fixed)
            return inspectPort(app.policy().first());
        LocalClient.Ping ping =
                app.local() == null ? LocalClient.Ping.NOBODY : app.local().find();
        if (ping.identity() != null) return Optional.of(new ClaimResult.Running(ping.identity()));
        if (ping.silent()) {
            // The resident's own socket took the question and it said nothing for the whole greeting wait:
            // it is stopped or hung. Asking its TCP port too would only make the user wait once more.
            Optional<InstanceRecord> holder = heldRecord();
            if (holder.isPresent()) return Optional.of(silentResident(holder.get(), ping.silentFor()));
        }
        Set<Integer> silentHints = new HashSet<>();
        Optional<Probe.Answered> found = discovery.locate(false, app.registry().token(), silentHints);
        if (found.isPresent())
            return Optional.of(new ClaimResult.Running(found.get().identity()));
        for (InstanceRecord r : app.registry().records(app.service())) {
            if (r.name().equals(app.name()) && discovery.inPolicy(r.port()) && alive(r.pid())) {
                // The search asked this port already and it accepted without a word for the whole probe
                // timeout: it is our recorded resident, stopped or hung. Asking again only doubles the wait.
                if (silentHints.contains(r.port())) return Optional.of(silentResident(r, app.probeTimeout()));
                Optional<ClaimResult> holder = inspectPort(r.port());
                if (holder.isPresent()) return holder;
            }
        }
        return Optional.empty();
    }

    private Optional<ClaimResult> inspectPort(int port) {
        String nonce = Token.nonce();
        List<InetAddress> loopbacks = Platform.hasIpv6Loopback()
                ? List.of(Platform.LOOPBACK_V4, Platform.LOOPBACK_V6)
                : List.of(Platform.LOOPBACK_V4);
        for (InetAddress address : loopbacks) {
            InetSocketAddress holder = new InetSocketAddress(address, port);
            Probe.Result probe = Probe.probe(app.protocol(), holder, nonce, app.probeTimeoutMillis());
            if (probe instanceof Probe.Refused) continue;
            if (probe instanceof Probe.Answered a) {
                Discovery.closeQuietly(a.session());
                return Optional.of(judge(a.identity(), a.proof(), nonce, port));
            }
            if (probe instanceof Probe.Foreign f) {
                return Optional.of(foreign(port, f.description() + onlyOn(address)));
            }
            Optional<InstanceRecord> ours = recordOf(port);
            if (ours.isPresent()) return Optional.of(silentResident(ours.get(), app.probeTimeout()));
            return Optional.of(foreign(
                    port,
                    "accepts connections but did not answer within " + app.probeTimeoutMillis() + " ms"
                            + onlyOn(address)));
        }
        return Optional.empty();
    }

    /** Whether a resident recorded at {@code record.started()} may still be inside its start-up grace. */
    private boolean young(InstanceRecord record) {
        return Duration.between(record.started(), app.clock().instant()).compareTo(app.startWait()) < 0;
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Whether nobody holds {@code port} on any loopback: a bind succeeds (and is released at once). */
    static boolean bindable(int port) {
        try {
            for (ServerSocketChannel c : Binder.bind(port)) c.close();
            return true;
        } catch (Binder.BindFailure held) {
            return false;
        } catch (IOException e) {
            return false; // cannot tell: treat it as held, so nothing is deleted on a guess
        }
    }

    /** The record of this instance, in the policy, whose process lives and whose port is held. */
    private Optional<InstanceRecord> heldRecord() {
        for (InstanceRecord r : app.registry().records(app.service())) {
            if (r.name().equals(app.name()) && discovery.inPolicy(r.port()) && alive(r.pid()) && !bindable(r.port())) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    private Optional<InstanceRecord> recordOf(int port) {
        for (InstanceRecord r : app.registry().records(app.service())) {
            if (r.port() == port && alive(r.pid())) return Optional.of(r);
        }
        return Optional.empty();
    }

    private static void pause(long millis, long deadline) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        long wait = Math.max(1, Math.min(millis, left));
        try {
            Thread.sleep(wait); // back-off between bind attempts; not a synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SoloException("interrupted while waiting to claim the port", e);
        }
    }
}
