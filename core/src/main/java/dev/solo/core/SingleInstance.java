package dev.solo.core;

import dev.solo.core.internal.LineCodec;
import dev.solo.core.internal.Platform;
import dev.solo.core.internal.Probe;
import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

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
    private final Path log;
    private final Clock clock;
    private final String user;
    private final Path localSocket;
    private final Discovery discovery;
    private final Delegation delegation;
    private final LocalClient local;

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
        this.localSocket = b.localSocket ? LocalSockets.pathFor(registry, service, name, policy) : null;
        this.discovery = new Discovery(this);
        this.delegation = new Delegation(this, discovery);
        this.local = localSocket != null && protocol == Protocol.LINE ? new LocalClient(this, localSocket) : null;
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

    Duration probeTimeout() {
        return probeTimeout;
    }

    int probeTimeoutMillis() {
        return (int) probeTimeout.toMillis();
    }

    Duration startWait() {
        return startWait;
    }

    Duration answerTimeout() {
        return answerTimeout;
    }

    int maxPayload() {
        return maxPayload;
    }

    Path log() {
        return log;
    }

    Delegation delegation() {
        return delegation;
    }

    /** The client of the same-user socket, or {@code null} (disabled, HTTP, or no usable path). */
    LocalClient local() {
        return local;
    }

    /**
     * Where this service's same-user socket is (whether or not a resident listens there), or {@code null}
     * (disabled, or a path too long for the OS). For clients of an HTTP resident, which serves the socket
     * itself ({@link ClaimResult.Claimed#localSocket()}) and is reached there with the client's own HTTP.
     */
    public Path localSocketPath() {
        return localSocket;
    }

    /**
     * The final claim, with the same-user socket's place where there is one. The claim holds the port,
     * which proves the owner of any file left at that place gone, so the file is removed here.
     */
    ClaimResult.Claimed withLocalSocket(ClaimResult.Claimed claimed) {
        Path prepared = localSocket == null ? null : LocalSockets.prepare(localSocket);
        if (prepared == null) return claimed;
        return new ClaimResult.Claimed(
                claimed.identity(), claimed.channels(), claimed.registry(), claimed.record(), prepared);
    }

    /**
     * Claims the port: binds it, or classifies whoever holds it. Waits at most the start-wait
     * (default 10 s) for a resident of ours that is still starting.
     *
     * @throws RegistryException when the registry cannot be written after a successful bind
     * @throws SoloException for I/O failures other than "address in use"
     */
    public ClaimResult claim() {
        return new Claimer(this, discovery).claim(); // made on demand: a client never loads the claim code
    }

    /**
     * Takes a listening socket this process was handed as its claim, for socket activation (systemd's
     * {@code StandardInput=socket}, launchd's {@code inetdCompatibility}): the service manager holds the
     * port between runs, so nobody can squat it, and starts the resident on the first connection. The
     * socket must be bound to a loopback address, on a port this instance's policy allows; it is
     * registered as a bound claim would be. Nothing is probed: the socket is proof that the port is ours.
     *
     * @param channel a bound, listening socket, typically {@code System.inheritedChannel()}
     * @throws IllegalArgumentException naming the address when it is not loopback or not in the policy
     */
    public ClaimResult.Claimed adopt(ServerSocketChannel channel) throws IOException {
        Objects.requireNonNull(channel, "channel");
        return new Claimer(this, discovery).adopt(channel);
    }

    /**
     * Who holds this service's port now, found without taking it: the read-only side of {@link
     * #claim()}, for commands such as {@code stop} and {@code status} that must tell "not running" from
     * "held by something else". Empty when nobody holds it; otherwise {@link ClaimResult.Running}, {@link
     * ClaimResult.Starting}, {@link ClaimResult.Hung} (a resident that accepts but does not answer, such
     * as a stopped process, with its pid from the registry), {@link ClaimResult.ForeignService} or
     * {@link ClaimResult.OtherUser}, never {@link ClaimResult.Claimed}. Under a range or for a named
     * instance only the ports where a resident of ours answers, or where a live process of ours is
     * recorded, are looked at: a foreign program elsewhere in the range holds nothing of ours.
     */
    public Optional<ClaimResult> inspect() {
        return new Claimer(this, discovery).inspect();
    }

    /**
     * Finds the resident of this service and user: its same-user socket first (line protocol), then the
     * registry hint, then the port policy (one port, or a scan of the range). Over TCP only a resident
     * that proves it knows the token is returned. Stale hints are removed.
     */
    public Optional<ServiceIdentity> find() {
        if (local != null) {
            ServiceIdentity mine = local.find().identity();
            if (mine != null) return Optional.of(mine);
        }
        Optional<Probe.Answered> found = discovery.locate(false, registry.token());
        return found.isPresent() ? Optional.of(found.get().identity()) : Optional.empty();
    }

    /**
     * Hands a request to the resident and waits for its answer (up to the answer timeout, default
     * five minutes: the resident may be waiting for its user). The same-user socket is tried first: one
     * connection, no nonce, no token; when it is missing, stale or not this user's, the request goes over
     * TCP after the resident's proof.
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
        if (local != null) {
            Outcome o = local.delegate(verb, args, body);
            if (o != null) return o;
        }
        return delegation.run(verb, args, body);
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
        private Path log;
        private Clock clock = Clock.systemUTC();
        private boolean localSocket = true;

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
        public Builder log(Path log) {
            this.log = log;
            return this;
        }

        /**
         * Whether the resident also listens on a same-user Unix-domain socket and clients try it first;
         * default {@code true} (line protocol only: an HTTP resident gets the socket's place in {@link
         * ClaimResult.Claimed#localSocket()} and serves it itself). With {@code false} everything goes
         * over TCP with the proof, as before.
         */
        public Builder localSocket(boolean enabled) {
            this.localSocket = enabled;
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
