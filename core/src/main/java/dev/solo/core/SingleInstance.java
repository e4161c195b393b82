package dev.solo.core;

import dev.solo.core.internal.Binder;
import dev.solo.core.internal.LineCodec;
import dev.solo.core.internal.Platform;
import dev.solo.core.internal.PortScan;
import dev.solo.core.internal.Probe;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * One service that must run once per user: claim its port as the resident, find the resident, or
 * hand it a request.
 *
 * <pre>{@code
 * SingleInstance app = SingleInstance.builder("my-app").policy(PortPolicy.range(49500, 49550)).build();
 * ClaimResult claim = app.claim();
 * if (claim instanceof ClaimResult.Claimed c) {
 *     try (LineServer server = LineServer.builder(app).verb(Verb.exclusive("OPEN", this::open)).start(c)) {
 *         server.awaitClose();
 *     }
 * } else if (claim instanceof ClaimResult.Running) {
 *     Outcome o = app.tryRunOnce("OPEN", file, null);
 *     if (FallbackPolicy.DEFAULT.runStandalone(o)) open(file);
 * } else {
 *     System.err.println(claim.message());
 * }
 * }</pre>
 *
 * <p><b>Claim.</b> Binding the listening socket is the lock; there is no "is it free?" check
 * before it. When the bind fails the holder is probed ({@code HELLO} or {@code GET /health}) and
 * classified (see {@link ClaimResult}). Under a {@link PortPolicy.Range} the resident takes the
 * lowest port that no foreign program holds, after making sure no resident of ours already answers
 * anywhere in the range; after its bind it checks the ports below once more, so a range never
 * yields two residents.
 *
 * <p><b>Trust.</b> A holder counts as ours only if it names this service and the port we dialed, runs
 * as this user and proves, with an HMAC of a fresh nonce bound to that service, port, instance and pid,
 * that it knows this user's token. The token itself is sent only after that proof, and only the pid of a
 * proven identity is ever reported as the resident's.
 *
 * <p>Immutable and thread-safe; build one per service and share it.
 */
public final class SingleInstance {

    private final String service;
    private final String version;
    private final String name;
    private final PortPolicy policy;
    private final Protocol protocol;
    private final Registry registry;
    private final Duration probeTimeout;
    private final Duration startWait;
    private final Duration answerTimeout;
    private final int maxPayload;
    private final java.nio.file.Path log;
    private final Clock clock;
    private final String user;

    private SingleInstance(Builder b) {
        this.service = b.service;
        this.version = b.version;
        this.name = b.name;
        this.policy = b.policy;
        this.protocol = b.protocol;
        this.registry = b.registry != null ? b.registry : Registry.forCurrentUser();
        this.probeTimeout = b.probeTimeout;
        this.startWait = b.startWait;
        this.answerTimeout = b.answerTimeout;
        this.maxPayload = b.maxPayload;
        this.log = b.log;
        this.clock = b.clock;
        this.user = Platform.user();
    }

    /** A builder for {@code service}, a name of {@code [a-z0-9][a-z0-9._-]{0,63}}. */
    public static Builder builder(String service) {
        return new Builder(service);
    }

    public String service() {
        return service;
    }

    public String version() {
        return version;
    }

    /** The instance name, empty for the default instance. */
    public String name() {
        return name;
    }

    public PortPolicy policy() {
        return policy;
    }

    public Protocol protocol() {
        return protocol;
    }

    public Registry registry() {
        return registry;
    }

    public Clock clock() {
        return clock;
    }

    /** The OS user whose resident this is. */
    public String user() {
        return user;
    }

    /**
     * Claims the port: binds it, or classifies whoever holds it. Waits at most the start-wait
     * (default 10 s) for a resident of ours that is still starting.
     *
     * @throws RegistryException when the registry cannot be written after a successful bind
     * @throws SoloException for I/O failures other than "address in use"
     */
    public ClaimResult claim() {
        long deadline = System.nanoTime() + startWait.toNanos();
        if (policy instanceof PortPolicy.Range range) return claimRange(range, deadline);
        return claimPort(policy.first(), deadline);
    }

    private ClaimResult claimRange(PortPolicy.Range range, long deadline) {
        Optional<ServiceIdentity> existing = find();
        if (existing.isPresent()) return new ClaimResult.Running(existing.get());
        String firstForeign = null;
        for (int port = range.start(); port <= range.end(); port++) {
            ClaimResult r = claimPort(port, deadline);
            if (r instanceof ClaimResult.Claimed claimed) {
                if (port > range.start()) {
                    // Someone of ours may have taken a lower port while we walked up: yield to it.
                    Optional<ServiceIdentity> lower = scan(
                                    range.start(), port - 1, Set.of(), Token.nonce(), registry.token(), false)
                            .map(a -> a.identity());
                    if (lower.isPresent()) {
                        claimed.close();
                        return new ClaimResult.Running(lower.get());
                    }
                }
                return claimed;
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
                        "cannot listen on loopback port " + port + ": " + e
                                + ". Check that the loopback interface is up.",
                        e);
            }
            String nonce = Token.nonce();
            InetSocketAddress holder = new InetSocketAddress(failure.address(), port);
            Probe.Result probe = Probe.probe(protocol, holder, nonce, (int) probeTimeout.toMillis());
            long now = System.nanoTime();
            if (probe instanceof Probe.Answered a) {
                closeQuietly(a.session());
                return judge(a.identity(), a.proof(), nonce, port);
            }
            if (probe instanceof Probe.Foreign f) {
                return new ClaimResult.ForeignService(port, f.description() + onlyOn(failure.address()));
            }
            if (probe instanceof Probe.Refused) {
                // The holder is gone (or binds without listening): try the bind again, within bounds.
                if (now - deadline > 0) {
                    return new ClaimResult.ForeignService(port, "holds it without accepting connections");
                }
            } else if (probe instanceof Probe.Silent) {
                if (silentSince < 0) silentSince = now;
                Optional<InstanceRecord> ours = recordOf(port);
                long silentFor = now - silentSince + probeTimeout.toNanos();
                if (ours.isPresent()) {
                    if (now - deadline > 0) {
                        Duration waited = Duration.ofNanos(silentFor);
                        return young(ours.get())
                                ? new ClaimResult.Starting(ours.get(), waited)
                                : new ClaimResult.Hung(ours.get(), waited);
                    }
                } else if (silentFor > 2 * probeTimeout.toNanos() || now - deadline > 0) {
                    return new ClaimResult.ForeignService(
                            port,
                            "accepts connections but did not answer within " + TimeUnit.NANOSECONDS.toMillis(silentFor)
                                    + " ms" + onlyOn(failure.address()));
                }
            }
            pause(backoffMillis, deadline);
            backoffMillis = Math.min(backoffMillis * 2, 200);
        }
    }

    /** " (on [::1] only; …)" when the holder sits on the IPv6 loopback: 127.0.0.1 was free. */
    private static String onlyOn(java.net.InetAddress address) {
        return address instanceof java.net.Inet6Address ? " (on [::1] only; 127.0.0.1 is free)" : "";
    }

    private ClaimResult judge(ServiceIdentity identity, String proof, String nonce, int port) {
        if (identity.port() != port
                && (identity.port() != 0 || identity.service().equals(service))) {
            // Whoever holds the port passed on the answer of a resident elsewhere (a relay): its pid and
            // proof belong to that resident, not to the holder.
            return new ClaimResult.ForeignService(port, relayed(identity));
        }
        if (!identity.service().equals(service)) {
            return new ClaimResult.ForeignService(
                    port, "answers as service '" + identity.service() + "' (pid " + identity.pid() + ")");
        }
        if (!identity.user().equals(user)) return new ClaimResult.OtherUser(identity);
        if (!registry.token().verifiesProof(nonce, identity, proof)) {
            return new ClaimResult.ForeignService(
                    port,
                    "calls itself " + service + " of user " + user + " (pid " + identity.pid()
                            + ") but cannot prove it knows your token (" + registry.tokenFile() + ")");
        }
        return new ClaimResult.Running(identity);
    }

    /** What a holder that relays another resident's identity is told it does. */
    static String relayed(ServiceIdentity identity) {
        return "answers with the identity of " + identity.service() + " on port " + identity.port()
                + ", not its own: it relays another program's answer";
    }

    private ClaimResult.Claimed claimed(List<java.nio.channels.ServerSocketChannel> channels) throws IOException {
        int port = ((InetSocketAddress) channels.get(0).getLocalAddress()).getPort();
        ServiceIdentity identity = new ServiceIdentity(
                service,
                version,
                ProcessHandle.current().pid(),
                user,
                Token.nonce().substring(0, 12),
                clock.instant(),
                port,
                name,
                ServiceIdentity.State.IDLE);
        InstanceRecord record = InstanceRecord.of(identity, protocol, log);
        try {
            registry.register(record);
        } catch (RuntimeException e) {
            for (var c : channels) c.close();
            throw e;
        }
        return new ClaimResult.Claimed(identity, channels, registry, record);
    }

    /**
     * Who holds this service's port now, found without taking it: the read-only side of {@link
     * #claim()}, for commands such as {@code stop} and {@code status} that must tell "not running" from
     * "held by something else". Empty when nobody holds it; otherwise {@link ClaimResult.Running}, {@link
     * ClaimResult.Starting}, {@link ClaimResult.Hung}, {@link ClaimResult.ForeignService} or {@link
     * ClaimResult.OtherUser}, never {@link ClaimResult.Claimed}. Under a range or for a named instance
     * only the ports where a resident of ours answers, or where a live process of ours is recorded, are
     * looked at: a foreign program elsewhere in the range holds nothing of ours.
     */
    public Optional<ClaimResult> inspect() {
        if (policy instanceof PortPolicy.Fixed) return inspectPort(policy.first());
        Optional<ServiceIdentity> ours = find();
        if (ours.isPresent()) return Optional.of(new ClaimResult.Running(ours.get()));
        for (InstanceRecord r : registry.records(service)) {
            if (r.name().equals(name) && inPolicy(r.port()) && alive(r.pid())) {
                Optional<ClaimResult> holder = inspectPort(r.port());
                if (holder.isPresent()) return holder;
            }
        }
        return Optional.empty();
    }

    private Optional<ClaimResult> inspectPort(int port) {
        String nonce = Token.nonce();
        List<java.net.InetAddress> loopbacks = Platform.hasIpv6Loopback()
                ? List.of(Platform.LOOPBACK_V4, Platform.LOOPBACK_V6)
                : List.of(Platform.LOOPBACK_V4);
        for (java.net.InetAddress address : loopbacks) {
            InetSocketAddress holder = new InetSocketAddress(address, port);
            Probe.Result probe = Probe.probe(protocol, holder, nonce, (int) probeTimeout.toMillis());
            if (probe instanceof Probe.Refused) continue;
            if (probe instanceof Probe.Answered a) {
                closeQuietly(a.session());
                return Optional.of(judge(a.identity(), a.proof(), nonce, port));
            }
            if (probe instanceof Probe.Foreign f) {
                return Optional.of(new ClaimResult.ForeignService(port, f.description() + onlyOn(address)));
            }
            Optional<InstanceRecord> ours = recordOf(port);
            if (ours.isPresent()) {
                return Optional.of(
                        young(ours.get())
                                ? new ClaimResult.Starting(ours.get(), probeTimeout)
                                : new ClaimResult.Hung(ours.get(), probeTimeout));
            }
            return Optional.of(new ClaimResult.ForeignService(
                    port,
                    "accepts connections but did not answer within " + probeTimeout.toMillis() + " ms"
                            + onlyOn(address)));
        }
        return Optional.empty();
    }

    /** Whether a resident recorded at {@code record.started()} may still be inside its start-up grace. */
    private boolean young(InstanceRecord record) {
        return Duration.between(record.started(), clock.instant()).compareTo(startWait) < 0;
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Finds the resident of this service and user: the registry hint first, then the port policy
     * (one port, or a parallel scan of the range). Only a resident that proves it knows the token is
     * returned. Stale hints are removed.
     */
    public Optional<ServiceIdentity> find() {
        Optional<Probe.Answered> found = locate(false, registry.token());
        return found.isPresent() ? Optional.of(found.get().identity()) : Optional.empty();
    }

    /**
     * Hands a request to the resident and waits for its answer (up to the answer timeout, default
     * five minutes: the resident may be waiting for its user).
     *
     * @param verb the verb name
     * @param args the rest of the verb line, or empty
     * @param body bytes to send after the verb line, or {@code null} for a verb without a body
     * @throws IllegalStateException for an HTTP service
     */
    public Outcome tryRunOnce(String verb, String args, byte[] body) {
        if (protocol != Protocol.LINE) {
            throw new IllegalStateException(service + " speaks HTTP; tryRunOnce needs the line protocol");
        }
        if (!LineCodec.isVerbName(verb)) {
            throw new IllegalArgumentException("verb name must match [A-Z][A-Z0-9_]{0,31}, got '" + verb + "'");
        }
        if (args != null && (args.indexOf('\n') >= 0 || args.indexOf('\r') >= 0)) {
            throw new IllegalArgumentException("args must be one line, got " + LineCodec.abbreviate(args));
        }
        // One token for the whole exchange: the proof is checked against the token that is then sent.
        Token token = registry.token();
        Optional<Probe.Answered> found = locate(true, token);
        if (found.isEmpty()) {
            return new Outcome.NoResident("no " + service + " of user " + user + " answers on " + describePolicy());
        }
        Probe.Answered resident = found.get();
        try (Probe.Session session = resident.session()) {
            StringBuilder head = new StringBuilder(128)
                    .append(LineCodec.AUTH)
                    .append(' ')
                    .append(token.value())
                    .append('\n')
                    .append(verb);
            if (body != null) head.append(' ').append(body.length);
            if (args != null && !args.isEmpty()) head.append(' ').append(args);
            head.append('\n');
            OutputStream out = session.out();
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            if (body != null) out.write(body);
            out.flush();
            session.socket().setSoTimeout((int) Math.min(Integer.MAX_VALUE, answerTimeout.toMillis()));
            String status = LineCodec.readLine(session.in(), LineCodec.MAX_LINE);
            if (status == null) {
                throw new IOException("the connection closed before an answer");
            }
            byte[] payload = LineCodec.readPayload(session.in(), maxPayload);
            if (status.equals(LineCodec.SUCCESS)) return new Outcome.Delegated(resident.identity(), payload);
            if (status.equals(LineCodec.ERROR)) {
                return new Outcome.ResidentError(resident.identity(), new String(payload, StandardCharsets.UTF_8));
            }
            throw new IOException(
                    "the answer began with " + LineCodec.abbreviate(status) + " instead of SUCCESS or ERROR");
        } catch (IOException e) {
            return new Outcome.ResidentLost(resident.identity(), e);
        }
    }

    private Optional<Probe.Answered> locate(boolean keepOpen, Token token) {
        String nonce = Token.nonce();
        Set<Integer> tried = new HashSet<>();
        List<Integer> hints = new ArrayList<>(registry.hintedPorts(service));
        hints.sort(null);
        for (int port : hints) {
            if (!inPolicy(port) || !tried.add(port)) continue;
            Optional<Probe.Answered> a = hello(port, nonce, token, keepOpen);
            if (a.isPresent()) return a;
            dropStaleRecords(port);
        }
        if (policy instanceof PortPolicy.Ephemeral) return Optional.empty();
        return scan(policy.first(), policy.last(), tried, nonce, token, keepOpen);
    }

    private Optional<Probe.Answered> scan(
            int from, int to, Set<Integer> skip, String nonce, Token token, boolean keepOpen) {
        List<Integer> open;
        if (from == to) {
            open = skip.contains(from) ? List.of() : List.of(from);
        } else {
            try {
                open = PortScan.openPorts(Platform.LOOPBACK_V4, from, to, skip, (int) probeTimeout.toMillis());
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        if (open.size() <= 1) {
            return open.isEmpty() ? Optional.empty() : hello(open.get(0), nonce, token, keepOpen);
        }
        // Several open ports: ask them all at once so a silent foreign one does not hold us up.
        List<CompletableFuture<Optional<Probe.Answered>>> asks = new ArrayList<>();
        for (int port : open) {
            asks.add(CompletableFuture.supplyAsync(
                    () -> hello(port, nonce, token, keepOpen), threadPerProbe("solo-" + service + "-probe")));
        }
        Optional<Probe.Answered> lowest = Optional.empty();
        for (CompletableFuture<Optional<Probe.Answered>> ask : asks) {
            Optional<Probe.Answered> a = ask.join();
            if (a.isPresent() && lowest.isEmpty()) {
                lowest = a;
            } else {
                a.ifPresent(x -> closeQuietly(x.session()));
            }
        }
        return lowest;
    }

    private Optional<Probe.Answered> hello(int port, String nonce, Token token, boolean keepOpen) {
        InetSocketAddress address = new InetSocketAddress(Platform.LOOPBACK_V4, port);
        Probe.Result r = protocol == Protocol.HTTP
                ? Probe.health(address, nonce, (int) probeTimeout.toMillis())
                : Probe.hello(address, nonce, (int) probeTimeout.toMillis(), keepOpen);
        if (r instanceof Probe.Answered a) {
            ServiceIdentity id = a.identity();
            // Service and port first: the proof binds them, so a nonce relayed to another resident of
            // this user comes back with that resident's service or port and fails here.
            if (id.service().equals(service)
                    && id.port() == port
                    && id.user().equals(user)
                    && id.name().equals(name)
                    && token.verifiesProof(nonce, id, a.proof())) {
                return Optional.of(a);
            }
            closeQuietly(a.session());
        }
        return Optional.empty();
    }

    private void dropStaleRecords(int port) {
        for (InstanceRecord r : registry.records(service)) {
            if (r.port() == port) registry.verify(r, probeTimeout);
        }
    }

    private Optional<InstanceRecord> recordOf(int port) {
        for (InstanceRecord r : registry.records(service)) {
            if (r.port() == port && alive(r.pid())) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    private boolean inPolicy(int port) {
        if (policy instanceof PortPolicy.Ephemeral) return true;
        return port >= policy.first() && port <= policy.last();
    }

    private String describePolicy() {
        return "loopback " + policy;
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

    /**
     * One daemon thread per probe. Probes block for up to the probe timeout, so they must not queue
     * behind each other in the common pool, whose parallelism is one less than the core count.
     */
    static Executor threadPerProbe(String name) {
        return task -> {
            Thread t = new Thread(task, name);
            t.setDaemon(true);
            t.start();
        };
    }

    private static void closeQuietly(Probe.Session session) {
        if (session != null) session.close();
    }

    /** Checked settings for a {@link SingleInstance}. */
    public static final class Builder {
        private final String service;
        private String version = "dev";
        private String name = "";
        private PortPolicy policy;
        private Protocol protocol = Protocol.LINE;
        private Registry registry;
        private Duration probeTimeout = Duration.ofSeconds(1);
        private Duration startWait = Duration.ofSeconds(10);
        private Duration answerTimeout = Duration.ofMinutes(5);
        private int maxPayload = 16 * 1024 * 1024;
        private java.nio.file.Path log;
        private Clock clock = Clock.systemUTC();

        private Builder(String service) {
            this.service = checkName("service", service);
        }

        /** The version the resident reports; default {@code dev}. */
        public Builder version(String version) {
            this.version = Objects.requireNonNull(version, "version");
            return this;
        }

        /** A named instance; pair it with {@link PortPolicy#ephemeral()}. Empty means unnamed. */
        public Builder name(String name) {
            this.name = name == null || name.isEmpty() ? "" : checkName("name", name);
            return this;
        }

        /** Which port(s) the resident may take. Required. */
        public Builder policy(PortPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** How the resident answers probes; default {@link Protocol#LINE}. */
        public Builder protocol(Protocol protocol) {
            this.protocol = Objects.requireNonNull(protocol, "protocol");
            return this;
        }

        /** The registry; default {@link Registry#forCurrentUser()}. */
        public Builder registry(Registry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** How long one probe waits for an answer; default 1 s. */
        public Builder probeTimeout(Duration timeout) {
            this.probeTimeout = positive("probeTimeout", timeout);
            return this;
        }

        /** How long a claim waits for a resident of ours that is still starting; default 10 s. */
        public Builder startWait(Duration wait) {
            Objects.requireNonNull(wait, "startWait");
            if (wait.isNegative()) throw new IllegalArgumentException("startWait must be >= 0, got " + wait);
            this.startWait = wait;
            return this;
        }

        /** How long a delegating client waits for the resident's answer; default 5 min. */
        public Builder answerTimeout(Duration timeout) {
            this.answerTimeout = positive("answerTimeout", timeout);
            return this;
        }

        /** The largest answer payload a client accepts, in bytes; default 16 MiB. */
        public Builder maxPayload(int bytes) {
            if (bytes <= 0) throw new IllegalArgumentException("maxPayload must be > 0, got " + bytes);
            this.maxPayload = bytes;
            return this;
        }

        /** The resident's log file, recorded in the registry. */
        public Builder log(java.nio.file.Path log) {
            this.log = log;
            return this;
        }

        /** The clock for start times; default UTC system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public SingleInstance build() {
            if (policy == null) {
                throw new IllegalStateException(
                        "no port policy: call policy(PortPolicy.fixed(..)/range(..)/ephemeral())");
            }
            return new SingleInstance(this);
        }

        private static String checkName(String what, String value) {
            if (!isName(value)) {
                throw new IllegalArgumentException(what + " must match [a-z0-9][a-z0-9._-]{0,63}, got "
                        + (value == null ? "null" : "'" + value + "'"));
            }
            return value;
        }

        /** {@code [a-z0-9][a-z0-9._-]{0,63}}, checked by a loop (no regex on a client's start path). */
        static boolean isName(String value) {
            if (value == null || value.isEmpty() || value.length() > 64) return false;
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z')
                        || (c >= '0' && c <= '9')
                        || (i > 0 && (c == '.' || c == '_' || c == '-'));
                if (!ok) return false;
            }
            return true;
        }

        private static Duration positive(String what, Duration d) {
            Objects.requireNonNull(d, what);
            if (d.isZero() || d.isNegative()) throw new IllegalArgumentException(what + " must be > 0, got " + d);
            return d;
        }
    }
}
