package dev.solo.monitor.security;

import dev.solo.core.Registry;
import dev.solo.core.RegistryException;
import dev.solo.core.Token;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The checks every request passes before it reaches a route, and the credentials it may carry.
 *
 * <ul>
 *   <li><b>Host</b> must be a loopback name ({@code localhost}, {@code 127.0.0.1}, {@code [::1]}) or a
 *       configured one: a DNS-rebinding page on {@code evil.example} resolving to 127.0.0.1 is refused.
 *   <li><b>Origin</b>, when present, must be {@code http://<allowed host>:<our port>}; {@code
 *       Sec-Fetch-Site: cross-site} is refused too. No CORS headers are ever sent.
 *   <li><b>Credentials</b>, always in the {@code Authorization} header, never in a cookie (cookies are
 *       shared by every port of localhost) or a URL:
 *       <ul>
 *         <li>{@code Bearer <token>}: the per-user token; everything.
 *         <li>{@code Bearer solo-ingest-…}: the {@link IngestKey}; appending events only.
 *         <li>{@code Session <id>}: a dashboard {@link Sessions session}; reading only.
 *       </ul>
 *       Token and key are compared in constant time and re-read at most once a second, so a rotation
 *       takes effect at once (and ends every session begun under the old token). The ingest key that a
 *       rotation replaced still appends for {@link #KEY_GRACE} after this guard first saw the new one:
 *       a Claude Code session re-reads its rewritten settings a moment later, and its hooks in between
 *       would otherwise be refused and their events lost. The key can only append, so the window
 *       grants nothing else.
 * </ul>
 *
 * Thread-safe.
 */
public final class Guard {
    /** Which credential a request carries; the router decides what each may do. */
    public enum Credential {
        NONE,
        INGEST_KEY,
        SESSION,
        TOKEN
    }

    private static final long RELOAD_NANOS = 1_000_000_000L;
    /** How long a rotated-out ingest key still appends events. */
    public static final java.time.Duration KEY_GRACE = java.time.Duration.ofSeconds(30);

    private final Registry registry;
    private final Set<String> hosts;
    private final int port;
    private final Sessions sessions;
    private final Clock clock;
    private final AtomicBoolean warnedTokenOnIngest = new AtomicBoolean();
    private volatile Secrets secrets;
    private volatile String keyProblem = "";

    /**
     * The token and ingest key as last read, and when; {@code previous} the ingest key a rotation replaced,
     * accepted until {@code previousUntil} (epoch millis of the guard's clock).
     */
    private record Secrets(
            Token token, String tokenPrint, IngestKey key, IngestKey previous, long previousUntil, long readAt) {}

    /**
     * @param extraHosts host names allowed besides the loopback ones (lower case, no port)
     * @param clock the clock of session and login-code expiry
     */
    public Guard(Registry registry, Set<String> extraHosts, int port, Clock clock) {
        this.registry = registry;
        this.port = port;
        this.sessions = new Sessions(clock);
        this.clock = clock;
        Set<String> all = new TreeSet<>(Set.of("localhost", "127.0.0.1", "[::1]"));
        for (String h : extraHosts) all.add(h.toLowerCase(Locale.ROOT));
        this.hosts = Set.copyOf(all);
    }

    /** The host names this server answers to. */
    public Set<String> hosts() {
        return hosts;
    }

    /** Why the Host header is refused, or empty when it is allowed (a missing Host is HTTP/1.0: allowed). */
    public Optional<String> hostProblem(String hostHeader) {
        if (hostHeader == null || hostHeader.isEmpty()) return Optional.empty();
        String name = hostName(hostHeader);
        if (name != null && hosts.contains(name)) return Optional.empty();
        return Optional.of("Host '" + hostHeader + "' is not allowed: this monitor answers only to " + hosts + " (port "
                + port + "). Use http://localhost:" + port + "/, or add the name with --host.");
    }

    /** Why the request's origin is refused, or empty. */
    public Optional<String> originProblem(String origin, String fetchSite) {
        if ("cross-site".equalsIgnoreCase(fetchSite)) {
            return Optional.of("cross-site requests are refused (Sec-Fetch-Site: cross-site)");
        }
        if (origin == null || origin.isEmpty()) return Optional.empty();
        try {
            URI u = new URI(origin);
            String host = u.getHost() == null ? null : u.getHost().toLowerCase(Locale.ROOT);
            if (host != null && host.contains(":") && !host.startsWith("[")) host = "[" + host + "]";
            if ("http".equals(u.getScheme()) && host != null && hosts.contains(host) && u.getPort() == port) {
                return Optional.empty();
            }
        } catch (java.net.URISyntaxException ignored) {
            // refused below
        }
        return Optional.of("Origin '" + origin
                + "' is not allowed: only pages served by this monitor (http://localhost:" + port + ") may call it");
    }

    /** The credential in an {@code Authorization} header value; {@link Credential#NONE} when it is none of ours. */
    public Credential credential(String authorization) {
        if (authorization == null) return Credential.NONE;
        String value = authorization.strip();
        if (value.regionMatches(true, 0, "Session ", 0, 8)) {
            return sessions.valid(value.substring(8).strip(), secrets().tokenPrint())
                    ? Credential.SESSION
                    : Credential.NONE;
        }
        if (!value.regionMatches(true, 0, "Bearer ", 0, 7)) return Credential.NONE;
        String presented = value.substring(7).strip();
        Secrets s = secrets();
        if (presented.startsWith(IngestKey.PREFIX)) {
            if (s.key() != null && s.key().matches(presented)) return Credential.INGEST_KEY;
            boolean grace = s.previous() != null
                    && clock.millis() < s.previousUntil()
                    && s.previous().matches(presented);
            return grace ? Credential.INGEST_KEY : Credential.NONE;
        }
        return s.token().matches(presented) ? Credential.TOKEN : Credential.NONE;
    }

    /**
     * Whether the live feed opened with {@code authorization} may go on: its session is still alive
     * (not expired, token not rotated, monitor not restarted) or it carries the current token.
     */
    public boolean stillAllowed(String authorization) {
        if (authorization == null) return false;
        String value = authorization.strip();
        if (value.regionMatches(true, 0, "Session ", 0, 8)) {
            return sessions.alive(value.substring(8).strip(), secrets().tokenPrint());
        }
        return credential(authorization) == Credential.TOKEN;
    }

    /** A one-time login code; the caller has checked that the request carries the token. */
    public String mintLoginCode() {
        return sessions.mintCode(secrets().tokenPrint());
    }

    /**
     * Exchanges a login code for a dashboard session. Where the OS tells the peer's user (Linux), only a
     * connection of the user who runs this monitor may redeem a code, so a code read off a command line
     * by another user is worth nothing; such an attempt does not use the code up.
     *
     * @param local the address the request arrived on; {@code peer} the client's
     */
    public Sessions.Redeemed redeem(String code, InetSocketAddress local, InetSocketAddress peer) {
        if (PeerUser.supported()) {
            OptionalInt me = PeerUser.self();
            OptionalInt them = PeerUser.of(local, peer);
            if (me.isEmpty() || them.isEmpty() || me.getAsInt() != them.getAsInt()) {
                return new Sessions.Refused("a login link works only in a browser of the user who runs this monitor"
                        + " (this connection is " + (them.isPresent() ? "uid " + them.getAsInt() : "of an unknown user")
                        + "). Run 'solo monitor open' as that user.");
            }
        }
        return sessions.redeem(code, secrets().tokenPrint());
    }

    /** How many dashboard sessions are live. */
    public int sessionCount() {
        return sessions.count();
    }

    /** Why hooks' ingest key cannot be checked (a bad key file), or "" when it can. */
    public String ingestKeyProblem() {
        secrets();
        return keyProblem;
    }

    /**
     * Called when an ingest route was reached with the token instead of the ingest key: hooks installed
     * before the key existed. Says once, in the monitor's log, how to fix it.
     */
    public void tokenUsedForIngest() {
        if (!warnedTokenOnIngest.getAndSet(true)) {
            System.err.println("solo-monitor: a hook sent the monitor's token instead of the ingest key; its settings"
                    + " file still holds the token. Run 'solo monitor hooks install' (with the same --scope) to"
                    + " replace it; 'solo monitor hooks status' lists stale installs.");
        }
    }

    private Secrets secrets() {
        Secrets s = secrets;
        long now = System.nanoTime();
        if (s != null && now - s.readAt() < RELOAD_NANOS) return s;
        Token token = registry.token();
        IngestKey key = null;
        try {
            key = IngestKey.loadOrCreate(registry.home());
            keyProblem = "";
        } catch (RegistryException e) {
            if (!e.getMessage().equals(keyProblem)) System.err.println("solo-monitor: " + e.getMessage());
            keyProblem = e.getMessage();
        }
        IngestKey previous = s == null ? null : s.previous();
        long previousUntil = s == null ? 0 : s.previousUntil();
        if (s != null && s.key() != null && key != null && !s.key().value().equals(key.value())) {
            previous = s.key(); // rotated: the key the hooks of running sessions still carry, for a while
            previousUntil = clock.millis() + KEY_GRACE.toMillis();
        }
        s = new Secrets(
                token,
                s != null && s.token() == token ? s.tokenPrint() : print(token),
                key,
                previous,
                previousUntil,
                now);
        secrets = s;
        return s;
    }

    /** A fingerprint of the token (SHA-256, hex): sessions remember it, never the token. */
    private static String print(Token token) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(token.value().getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** "localhost:8765" → "localhost"; "[::1]:8765" → "[::1]"; null when malformed. */
    static String hostName(String header) {
        String h = header.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? null : h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        String name = colon < 0 ? h : h.substring(0, colon);
        if (name.endsWith(".")) name = name.substring(0, name.length() - 1);
        return name;
    }
}
