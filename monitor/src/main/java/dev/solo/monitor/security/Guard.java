package dev.solo.monitor.security;

import dev.solo.core.Registry;
import dev.solo.core.Token;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The checks every request passes before it reaches a route.
 *
 * <ul>
 *   <li><b>Host</b> must be a loopback name ({@code localhost}, {@code 127.0.0.1}, {@code [::1]}) or a
 *       configured one: a DNS-rebinding page on {@code evil.example} resolving to 127.0.0.1 is refused.
 *   <li><b>Origin</b>, when present, must be {@code http://<allowed host>:<our port>}; {@code
 *       Sec-Fetch-Site: cross-site} is refused too. No CORS headers are ever sent.
 *   <li><b>Token</b> for everything that acts or reads events: {@code Authorization: Bearer <token>}
 *       or the HttpOnly cookie set by {@code /?token=}. Compared in constant time; re-read at most once
 *       a second, so {@code solo monitor token --rotate} takes effect at once.
 * </ul>
 *
 * Thread-safe.
 */
public final class Guard {
    private static final long TOKEN_TTL_NANOS = 1_000_000_000L;

    private final Registry registry;
    private final Set<String> hosts;
    private final int port;
    private volatile Token token;
    private volatile long tokenRead;

    /** @param extraHosts host names allowed besides the loopback ones (lower case, no port) */
    public Guard(Registry registry, Set<String> extraHosts, int port) {
        this.registry = registry;
        this.port = port;
        Set<String> all = new TreeSet<>(Set.of("localhost", "127.0.0.1", "[::1]"));
        for (String h : extraHosts) all.add(h.toLowerCase(Locale.ROOT));
        this.hosts = Set.copyOf(all);
    }

    /** The host names this server answers to. */
    public Set<String> hosts() {
        return hosts;
    }

    /** The cookie that carries the token; one per port, since cookies ignore ports. */
    public String cookieName() {
        return "solo_monitor_" + port;
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

    /** Whether the request carries the token, in the Authorization header or the cookie. */
    public boolean authorized(String authorization, List<String> cookieValues) {
        Token t = token();
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            if (t.matches(authorization.substring(7).trim())) return true;
        }
        for (String v : cookieValues) if (t.matches(v)) return true;
        return false;
    }

    /** Whether {@code presented} is the token (for {@code /?token=}). */
    public boolean isToken(String presented) {
        return token().matches(presented);
    }

    private Token token() {
        long now = System.nanoTime();
        Token t = token;
        if (t == null || now - tokenRead > TOKEN_TTL_NANOS) {
            t = registry.token();
            token = t;
            tokenRead = now;
        }
        return t;
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
