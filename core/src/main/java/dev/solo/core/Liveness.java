package dev.solo.core;

import dev.solo.core.internal.Platform;
import dev.solo.core.internal.Probe;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the residents of a {@link Registry}'s records still run: each record's port is probed with the
 * proof of this user's token, all in parallel. A record is removed only when it is certainly stale; see
 * {@link Registry#live(Duration)}.
 */
final class Liveness {
    private final Registry registry;

    Liveness(Registry registry) {
        this.registry = registry;
    }

    /**
     * Every readable record and every damaged one whose name gives a port, probed in parallel: the live
     * instances, in no particular order.
     */
    List<LiveInstance> check(List<InstanceRecord> all, List<DamagedRecord> damaged, Duration timeout) {
        List<Check> checks = new ArrayList<>(all.size() + damaged.size());
        for (InstanceRecord r : all) checks.add(new Check(r.port(), () -> verify(r, timeout)));
        for (DamagedRecord d : damaged) {
            if (d.port() > 0) checks.add(new Check(d.port(), () -> identify(d, timeout)));
        }
        for (Check c : checks) c.start();
        List<LiveInstance> live = new ArrayList<>();
        boolean interrupted = false;
        for (Check c : checks) {
            while (c.isAlive()) {
                try {
                    c.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (c.result != null) live.add(c.result);
        }
        if (interrupted) Thread.currentThread().interrupt();
        return live;
    }

    /** One record's check on its own daemon thread: a probe blocks for up to its timeout. */
    private static final class Check extends Thread {
        private final java.util.function.Supplier<LiveInstance> check;
        volatile LiveInstance result;

        Check(int port, java.util.function.Supplier<LiveInstance> check) {
            super("solo-registry-probe-" + port);
            setDaemon(true);
            this.check = check;
        }

        @Override
        public void run() {
            result = check.get();
        }
    }

    /**
     * The resident of a record that cannot be read, when one of ours answers on the port its name gives,
     * as the instance its name gives, with this user's proof (either protocol: only the record said which),
     * its record written anew from that answer (with the log file the damaged text still names); else null, and the record stays in {@link Registry#damaged()}.
     */
    private LiveInstance identify(DamagedRecord d, Duration timeout) {
        InetSocketAddress address = new InetSocketAddress(Platform.LOOPBACK_V4, d.port());
        // HTTP first: a line server answers an HTTP request line with ERROR at once, while an HTTP server may
        // wait for the rest of a request after a HELLO line
        for (Protocol protocol : List.of(Protocol.HTTP, Protocol.LINE)) {
            String nonce = Token.nonce();
            Probe.Result result = Probe.probe(protocol, address, nonce, (int) timeout.toMillis());
            if (result instanceof Probe.Answered a) {
                if (a.session() != null) a.session().close();
                if (provenAs(a, d.service(), d.port(), d.instance(), nonce)) {
                    InstanceRecord repaired = InstanceRecord.of(a.identity(), protocol, d.log());
                    registry.register(repaired); // the same file name: the damaged text is replaced, atomically
                    return new LiveInstance(repaired, a.identity(), true);
                }
                if (provenAs(a, d.service(), d.port(), a.identity().instance(), nonce)) {
                    Registry.deleteQuietly(d.file()); // another life of ours holds the port: that one is over
                    return null;
                }
            }
            if (result instanceof Probe.Refused || result instanceof Probe.Silent) return null;
        }
        return null;
    }

    /** Probes one record; removes it and returns {@code null} when it is certainly stale (see {@link Registry#live(Duration)}). */
    LiveInstance verify(InstanceRecord r, Duration timeout) {
        if (r.pid() > 0 && !Claimer.alive(r.pid())) {
            registry.remove(r);
            return null;
        }
        InetSocketAddress address = new InetSocketAddress(Platform.LOOPBACK_V4, r.port());
        String nonce = Token.nonce();
        Probe.Result result = Probe.probe(r.protocol(), address, nonce, (int) timeout.toMillis());
        if (result instanceof Probe.Answered a) {
            if (a.session() != null) a.session().close(); // a line probe leaves its connection open
            if (proven(a, r, nonce)) return new LiveInstance(r, a.identity(), true);
            if (provenOther(a, r, nonce)) {
                registry.remove(r); // another life of ours holds the port: this one is over
                return null;
            }
        }
        if (!(result instanceof Probe.Silent) && Claimer.bindable(r.port())) {
            registry.remove(r);
            return null;
        }
        ServiceIdentity fromRecord = new ServiceIdentity(
                r.service(),
                r.version(),
                r.pid(),
                r.user(),
                r.instance(),
                r.started(),
                r.port(),
                r.name(),
                ServiceIdentity.State.BUSY);
        return new LiveInstance(r, fromRecord, false);
    }

    /** Whether another instance of the record's service answers on its port, proven by this user's token. */
    private boolean provenOther(Probe.Answered a, InstanceRecord r, String nonce) {
        ServiceIdentity id = a.identity();
        return !id.instance().equals(r.instance())
                && id.port() == r.port()
                && id.service().equals(r.service())
                && registry.token().verifiesProof(nonce, id, a.proof());
    }

    /**
     * Whether an answer is the recorded resident itself: the record's instance on the record's port, with
     * a proof of this user's token bound to them. A relay or a squatter that copies the instance id fails.
     */
    private boolean proven(Probe.Answered a, InstanceRecord r, String nonce) {
        return provenAs(a, r.service(), r.port(), r.instance(), nonce);
    }

    private boolean provenAs(Probe.Answered a, String service, int port, String instance, String nonce) {
        ServiceIdentity id = a.identity();
        return id.instance().equals(instance)
                && id.port() == port
                && id.service().equals(service)
                && registry.token().verifiesProof(nonce, id, a.proof());
    }
}
