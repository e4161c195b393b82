package dev.solo.monitor.security;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Dashboard sessions, and the one-time login codes that start them.
 *
 * <ul>
 *   <li>A <b>login code</b> is minted for a request that carries the token ({@code solo monitor open}). It
 *       is valid once, for at most {@link #CODE_TTL}, and the page exchanges it for a session. At most
 *       {@value #MAX_CODES} codes wait at once; minting more drops the oldest.
 *   <li>A <b>session</b> is 256 random bits, kept only in this monitor's memory, so a restart ends every
 *       session. It is bound to the token it was begun under: rotating the token ends it. It expires
 *       after {@link #IDLE} without use and {@link #MAX_AGE} after it began, whatever its use. At most
 *       {@value #MAX_SESSIONS} live at once; beyond that the least recently used one ends.
 * </ul>
 *
 * A session is not the token: it opens the dashboard's routes only (reading events and streams), never
 * shutdown, login codes or delegation. Thread-safe; time comes from the injected clock.
 */
public final class Sessions {
    public static final Duration CODE_TTL = Duration.ofSeconds(60);
    public static final Duration IDLE = Duration.ofHours(12);
    public static final Duration MAX_AGE = Duration.ofDays(7);
    static final int MAX_CODES = 32;
    static final int MAX_SESSIONS = 64;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** What redeeming a code gave: a session, or why not. */
    public sealed interface Redeemed {}

    /** The code was good: here is the session, valid for {@code idle} without use. */
    public record Granted(String session, Duration idle) implements Redeemed {}

    /** The code was unknown, used or expired; {@code message} tells the user what to do. */
    public record Refused(String message) implements Redeemed {}

    private record Code(long expires, String tokenPrint) {}

    private static final class Session {
        final long created;
        final String tokenPrint;
        long lastUsed;

        Session(long created, String tokenPrint) {
            this.created = created;
            this.tokenPrint = tokenPrint;
            this.lastUsed = created;
        }
    }

    private final Clock clock;
    private final Map<String, Code> codes = new LinkedHashMap<>();
    /** In access order: the eldest entry is the least recently used session. */
    private final Map<String, Session> sessions = new LinkedHashMap<>(16, 0.75f, true);

    public Sessions(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A fresh one-time login code for a caller that proved the token whose fingerprint is {@code tokenPrint}. */
    public synchronized String mintCode(String tokenPrint) {
        long now = clock.millis();
        codes.values().removeIf(c -> c.expires() <= now);
        while (codes.size() >= MAX_CODES) {
            Iterator<String> eldest = codes.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
        String code = random();
        codes.put(code, new Code(now + CODE_TTL.toMillis(), tokenPrint));
        return code;
    }

    /**
     * Exchanges {@code code} for a session, once. A code minted under another token (the token was
     * rotated since) is refused like an unknown one.
     */
    public synchronized Redeemed redeem(String code, String tokenPrint) {
        long now = clock.millis();
        Code c = code == null ? null : codes.remove(code);
        if (c == null || c.expires() <= now || !c.tokenPrint().equals(tokenPrint)) {
            return new Refused("this login link is unknown, was used already or expired (a link works once, for "
                    + CODE_TTL.toSeconds() + " s). Run 'solo monitor open' for a fresh one.");
        }
        sessions.values().removeIf(s -> expired(s, now));
        while (sessions.size() >= MAX_SESSIONS) {
            Iterator<String> eldest = sessions.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
        String id = random();
        sessions.put(id, new Session(now, tokenPrint));
        return new Granted(id, IDLE);
    }

    /**
     * Whether {@code id} is a live session begun under the token whose fingerprint is {@code tokenPrint};
     * a valid one counts as used now. An expired or orphaned session is forgotten.
     */
    public synchronized boolean valid(String id, String tokenPrint) {
        if (id == null) return false;
        Session s = sessions.get(id);
        if (s == null) return false;
        long now = clock.millis();
        if (expired(s, now) || !s.tokenPrint.equals(tokenPrint)) {
            sessions.remove(id);
            return false;
        }
        s.lastUsed = now;
        return true;
    }

    /** Whether {@code id} is a live session, without counting as a use (for a live feed that is open). */
    public synchronized boolean alive(String id, String tokenPrint) {
        Session s = id == null ? null : sessions.get(id);
        return s != null && !expired(s, clock.millis()) && s.tokenPrint.equals(tokenPrint);
    }

    /** How many sessions are live now. */
    public synchronized int count() {
        long now = clock.millis();
        sessions.values().removeIf(s -> expired(s, now));
        return sessions.size();
    }

    private static boolean expired(Session s, long now) {
        return now - s.lastUsed >= IDLE.toMillis() || now - s.created >= MAX_AGE.toMillis();
    }

    /** 256 random bits, base64url without padding: 43 characters. */
    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
