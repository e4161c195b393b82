package dev.solo.monitor.server;

import dev.solo.monitor.security.Guard;
import org.eclipse.jetty.http.HttpHeader;

/**
 * The dashboard page ({@code /}) and its files ({@code /assets/*}). They hold no data: the page asks
 * the protected API for everything it shows, and says how to open the monitor when it may not.
 */
final class DashboardRoute {
    private final Guard guard;
    private final Assets assets = new Assets();

    DashboardRoute(Guard guard) {
        this.guard = guard;
    }

    void page(Exchange x) {
        String token = x.param("token");
        if (token != null) {
            if (!guard.isToken(token)) {
                x.send(
                        401,
                        "text/plain; charset=utf-8",
                        "This link's token is wrong or was rotated. Run 'solo monitor open' for a fresh link.\n");
                return;
            }
            x.response
                    .getHeaders()
                    .add(
                            HttpHeader.SET_COOKIE,
                            guard.cookieName() + "=" + token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=2592000");
            x.response.getHeaders().put(HttpHeader.LOCATION, "/" + x.queryWithout("token"));
            x.empty(303);
            return;
        }
        if (!assets.serve(x, "index.html")) x.error(500, "the dashboard is missing from the monitor's jar");
    }

    void asset(Exchange x, String name) {
        if (!assets.serve(x, name)) x.error(404, "no such dashboard file: /assets/" + name);
    }
}
