package dev.solo.monitor.dashboard;

import dev.solo.core.PortPolicy;
import dev.solo.core.Registry;
import dev.solo.monitor.server.MonitorServer;
import dev.solo.monitor.testing.HookFixtures;
import dev.solo.monitor.testing.TestMonitors;
import dev.solo.monitor.transcript.ClaudeHome;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

/**
 * A real monitor in this JVM on a loopback port the OS chose, with its own state directory, fed over
 * its HTTP API like Claude Code feeds it. {@link #restart()} stops it and starts it again on the same
 * port and database.
 */
final class Monitor implements AutoCloseable {
    final Registry registry;
    final String token;
    private final HttpClient http = HttpClient.newHttpClient();
    private MonitorServer server;
    private int port;

    private final ClaudeHome claude;

    Monitor(Path home) {
        this(home, new ClaudeHome(home.resolve(".claude")));
    }

    /** A monitor that reads transcripts only under {@code claude}. */
    Monitor(Path home, ClaudeHome claude) {
        registry = Registry.at(home);
        token = registry.token().value();
        this.claude = claude;
        server = start(PortPolicy.ephemeral());
        port = server.port();
    }

    private MonitorServer start(PortPolicy policy) {
        return TestMonitors.start(registry, "dash", policy, c -> c.withClaudeHome(claude));
    }

    int port() {
        return port;
    }

    MonitorServer server() {
        return server;
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * The link {@code solo monitor open} gives: the page with a fresh one-time login code in its
     * fragment, which the page exchanges for a session in this tab.
     */
    String link() {
        return link("/");
    }

    /** {@link #link()} to {@code pathAndQuery} (such as {@code /?stream=…&view=tools}). */
    String link(String pathAndQuery) {
        return base() + pathAndQuery + "#login=" + loginCode();
    }

    /** A one-time login code, minted with the token as {@code solo monitor open} does. */
    String loginCode() {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(base() + "/api/login-code"))
                            .header("Authorization", "Bearer " + token)
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("POST /api/login-code answered " + r.statusCode() + ": " + r.body());
            }
            return r.body().strip();
        } catch (IOException e) {
            throw new IllegalStateException("POST /api/login-code to " + base() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    void stop() {
        server.close();
    }

    void startAgain() {
        server = start(PortPolicy.fixed(port));
    }

    /** Posts a hook payload as Claude Code does; fails unless the monitor stored it (200). */
    void post(String json) {
        postForAnswer(json);
    }

    /** Posts a hook payload as Claude Code does and returns the answer's body (a held prompt's decision). */
    String postForAnswer(String json) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(base() + "/api/hooks"))
                            .header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(json))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("POST /api/hooks answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException("POST /api/hooks to " + base() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Posts the fixture {@code name} (e.g. {@code PreToolUse} or {@code variants/PostToolUse.Edit}). */
    void postFixture(String name) {
        post(fixture(name));
    }

    static String fixture(String name) {
        return HookFixtures.read(name);
    }

    @Override
    public void close() {
        server.close();
    }
}
