package dev.solo.cli.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a monitor that runs already answers to the host name the user gave with {@code --host}. The
 * name is allowed when the monitor starts ({@code --host} adds it to its Host allow-list); a monitor
 * started without it answers 403 to every URL that carries it, so {@code solo monitor --host H} must not
 * print such a URL for it. Asked the way a browser asks: {@code GET /health} with that {@code Host}.
 */
final class HostCheck {
    /** The names every monitor answers to, whatever it was started with. */
    static final Set<String> ALWAYS = Set.of("localhost", "127.0.0.1", "[::1]");

    private HostCheck() {}

    /**
     * The hosts the monitor on {@code port} answers to, when it refuses {@code host} (as {@link
     * MonitorCommand#checkHost} returns it); empty when it answers to it, or when that cannot be told
     * (the URL is then printed as asked).
     */
    static Optional<List<String>> refused(int port, String host, String token) {
        if (ALWAYS.contains(host.toLowerCase(Locale.ROOT))) return Optional.empty();
        ApiCall a;
        try {
            a = ApiCall.send(port, "GET", "/health", host + ":" + port, token, 64 * 1024);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (a.status() != 403) return Optional.empty();
        List<String> hosts = new ArrayList<>();
        try {
            for (JsonNode h : new ObjectMapper().readTree(a.text()).path("hosts")) hosts.add(h.asText());
        } catch (IOException notJson) {
            // an older monitor: its error names them, the note names the three every monitor has
        }
        if (hosts.isEmpty()) hosts.addAll(List.of("127.0.0.1", "[::1]", "localhost"));
        return Optional.of(hosts);
    }

    /** The note for a refused {@code host}: which names work, and how to make the monitor answer to it. */
    static String note(Target t, int port, String host, List<String> hosts) {
        String target = t.named() ? "--name " + t.name() : "--port " + port;
        return "Note: this monitor was started without --host " + host + ", so it refuses http://" + host + ":"
                + port + " (403); it answers to " + String.join(", ", hosts) + ", hence the address above. To use '"
                + host + "', restart it with that name: 'solo monitor stop " + target + "', then 'solo monitor "
                + target + " --host " + host + "'.";
    }
}
