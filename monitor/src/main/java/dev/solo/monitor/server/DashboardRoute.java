package dev.solo.monitor.server;

/**
 * The dashboard page ({@code /}) and its files ({@code /assets/*}). They hold no data and grant
 * nothing: the page logs in with the one-time code in its URL's fragment ({@code /#login=<code>}, see
 * {@link LoginRoute}), asks the protected API for everything it shows, and says how to get in when it
 * may not. No cookie is ever set: cookies are shared by every port of localhost, so any other local web
 * server the browser visits would receive it.
 */
final class DashboardRoute {
    private final Assets assets = new Assets();

    void page(Exchange x) {
        if (!assets.serve(x, "index.html")) x.error(500, "the dashboard is missing from the monitor's jar");
    }

    void asset(Exchange x, String name) {
        if (!assets.serve(x, name)) x.error(404, "no such dashboard file: /assets/" + name);
    }
}
