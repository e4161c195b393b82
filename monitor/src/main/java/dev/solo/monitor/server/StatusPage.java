package dev.solo.monitor.server;

import dev.solo.monitor.derive.StreamStatus;
import dev.solo.monitor.store.StreamInfo;
import java.util.List;

/**
 * A stop-gap page at {@code /} until the dashboard (a later version) replaces it: it says the server
 * runs and lists the streams, rendered on the server (no script), escaped.
 */
final class StatusPage {
    private StatusPage() {}

    static String render(int port, List<StreamInfo> streams, long now) {
        StringBuilder b = new StringBuilder(2048);
        b.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>solo monitor</title>")
                .append("<style>body{font:14px system-ui,sans-serif;margin:2em}td,th{padding:2px 12px;text-align:left}")
                .append("</style></head><body><h1>solo monitor</h1>")
                .append("<p>The monitor runs on port ")
                .append(port)
                .append(". The live dashboard comes in a later version of solo; until then this page lists the"
                        + " streams, and the JSON API at <code>/api/streams</code>, <code>/api/events</code> and"
                        + " <code>/api/live</code> has everything.</p>");
        if (streams.isEmpty()) {
            b.append("<p>No events yet. Install the hooks with <code>solo monitor hooks install</code>.</p>");
        } else {
            b.append("<table><tr><th>stream</th><th>status</th><th>events</th><th>last seen</th><th>cwd</th></tr>");
            for (StreamInfo s : streams) {
                b.append("<tr><td>")
                        .append(escape(s.label()))
                        .append("</td><td>")
                        .append(StreamStatus.of(s, now))
                        .append(s.waitingReason() != null ? ": " + escape(s.waitingReason()) : "")
                        .append("</td><td>")
                        .append(s.events())
                        .append("</td><td>")
                        .append(java.time.Instant.ofEpochMilli(s.lastMillis()))
                        .append("</td><td>")
                        .append(escape(s.cwd() == null ? "" : s.cwd()))
                        .append("</td></tr>");
            }
            b.append("</table>");
        }
        return b.append("</body></html>").toString();
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
