package dev.solo.monitor.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.solo.monitor.security.Guard;
import dev.solo.monitor.security.Sessions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a browser gets into the dashboard without ever seeing the token.
 *
 * <ul>
 *   <li>{@code POST /api/login-code} (token): a one-time login code, as one line of plain text. {@code
 *       solo monitor open} asks for it and opens {@code http://localhost:<port>/#login=<code>}: in the
 *       URL's fragment, the code reaches no request line, log or referrer.
 *   <li>{@code POST /api/session} with {@code {"code": "…"}} (public): the page exchanges the code for a
 *       dashboard session, {@code {"session": "…", "idle_seconds": N}}, and keeps it in {@code
 *       sessionStorage}. Refused (403) when the code is unknown, used or expired, or, on Linux, when the
 *       connection belongs to another OS user.
 * </ul>
 */
final class LoginRoute {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 4096;

    private final Guard guard;
    private final Duration bodyTimeout;

    LoginRoute(Guard guard, Duration bodyTimeout) {
        this.guard = guard;
        this.bodyTimeout = bodyTimeout;
    }

    void code(Exchange x) {
        x.send(200, "text/plain; charset=utf-8", guard.mintLoginCode() + "\n");
    }

    void session(Exchange x) {
        RequestBody.read(x, MAX_BODY, bodyTimeout, body -> {
            String code;
            try {
                JsonNode root = JSON.readTree(body);
                JsonNode c = root == null ? null : root.get("code");
                code = c != null && c.isTextual() ? c.asText() : null;
            } catch (IOException e) {
                code = null;
            }
            if (code == null) {
                x.error(
                        400,
                        "send the login code as {\"code\": \"…\"}; the page does this for you when opened by"
                                + " 'solo monitor open'");
                return;
            }
            Sessions.Redeemed r = guard.redeem(
                    code,
                    inet(x.request.getConnectionMetaData().getLocalSocketAddress()),
                    inet(x.request.getConnectionMetaData().getRemoteSocketAddress()));
            if (r instanceof Sessions.Granted g) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("session", g.session());
                out.put("idle_seconds", g.idle().toSeconds());
                x.json(200, out);
            } else {
                x.error(403, ((Sessions.Refused) r).message());
            }
        });
    }

    private static InetSocketAddress inet(SocketAddress a) {
        return a instanceof InetSocketAddress i ? i : null;
    }
}
