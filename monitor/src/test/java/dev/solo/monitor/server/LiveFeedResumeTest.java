package dev.solo.monitor.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.core.Registry;
import dev.solo.monitor.testing.TestMonitors;
import dev.solo.testing.RawHttp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live feed over real SSE: a client drops mid-burst and resumes with Last-Event-ID. */
class LiveFeedResumeTest {
    static final int EVENTS = 10_000;

    @TempDir
    Path home;

    MonitorServer server;
    String token;

    @BeforeEach
    void start() {
        Registry registry = Registry.at(home);
        token = registry.token().value();
        // a small ring, so the resumed client has to read part of the backlog from SQLite
        server = TestMonitors.start(registry, "sse", c -> c.withRingSize(1000).withHeartbeat(Duration.ofMillis(200)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void resumesAfterADroppedConnectionWithNoGapAndNoDuplicate() throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService senders = Executors.newFixedThreadPool(8);
        List<Long> seen = new ArrayList<>(EVENTS);
        try (Socket first = open(0)) {
            BufferedReader in = reader(first);
            List<Future<?>> sent = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                sent.add(senders.submit(() -> {
                    for (int i = thread; i < EVENTS; i += 8) {
                        String body = "{\"session_id\":\"s" + (i % 3) + "\",\"hook_event_name\":\"PreToolUse\",\"n\":"
                                + i + "}";
                        HttpResponse<String> r = http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/hooks"))
                                        .header("Authorization", "Bearer " + token)
                                        .POST(HttpRequest.BodyPublishers.ofString(body))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) throw new IllegalStateException("status " + r.statusCode());
                    }
                    return null;
                }));
            }
            readIds(in, seen, 2_500);
            // drop the connection while events are still arriving
            first.close();
            for (Future<?> f : sent) f.get();
        } finally {
            senders.shutdownNow();
        }
        long last = seen.get(seen.size() - 1);
        try (Socket second = open(last)) {
            readIds(reader(second), seen, EVENTS);
        }
        assertThat(seen).hasSize(EVENTS);
        for (int i = 0; i < EVENTS; i++) assertThat(seen.get(i)).isEqualTo(i + 1L);
    }

    @Test
    void oneStreamOnlyAndHeartbeats() throws Exception {
        try (Socket s = open(0, "?stream=only")) {
            BufferedReader in = reader(s);
            postStop("other");
            postStop("only");
            String line;
            boolean heartbeat = false;
            String data = null;
            List<String> ids = new ArrayList<>();
            while ((line = in.readLine()) != null) {
                if (line.equals(": heartbeat")) heartbeat = true;
                if (line.startsWith("id: ")) ids.add(line.substring(4));
                if (line.startsWith("data: ") && data == null) data = line.substring(6);
                if (data != null && heartbeat) break;
            }
            assertThat(data).contains("\"id\":2").contains("\"stream\":\"only\"");
            assertThat(ids).containsExactly("2");
        }
    }

    @Test
    void aNarrowFeedHearsOfEventsOutsideItWithoutTheirIds() throws Exception {
        try (Socket s = open(0, "?stream=only&view=row&elsewhere=true")) {
            BufferedReader in = reader(s);
            for (int i = 0; i < 3; i++) {
                postStop("other");
            }
            String line;
            List<String> frame = new ArrayList<>();
            while ((line = in.readLine()) != null) {
                if (line.startsWith("id: ")) frame.add(line);
                if (line.equals("event: elsewhere")) {
                    frame.add(line);
                    frame.add(in.readLine());
                    break;
                }
            }
            // no id: the client's Last-Event-ID stays where its own events are
            assertThat(frame.get(0)).isEqualTo("event: elsewhere");
            assertThat(frame.get(1)).matches("data: [123]");
        }
    }

    /** Posts a Stop hook of stream {@code session}. */
    private void postStop(String session) throws IOException {
        RawHttp.send(
                server.port(),
                "POST",
                "/api/hooks",
                java.util.Map.of("Authorization", "Bearer " + token),
                ("{\"session_id\":\"" + session + "\",\"hook_event_name\":\"Stop\"}").getBytes(StandardCharsets.UTF_8));
    }

    private Socket open(long lastEventId) throws IOException {
        return open(lastEventId, "");
    }

    private Socket open(long lastEventId, String query) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
        s.setSoTimeout(20_000);
        String req = "GET /api/live" + query + " HTTP/1.1\r\nHost: localhost:" + server.port()
                + "\r\nAuthorization: Bearer "
                + token + "\r\nAccept: text/event-stream\r\n" + "Origin: http://localhost:" + server.port() + "\r\n"
                + (lastEventId > 0 ? "Last-Event-ID: " + lastEventId + "\r\n" : "Last-Event-ID: 0\r\n") + "\r\n";
        OutputStream out = s.getOutputStream();
        out.write(req.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    private static BufferedReader reader(Socket s) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        String status = in.readLine();
        assertThat(status).startsWith("HTTP/1.1 200");
        return in;
    }

    /** Reads chunked SSE text until {@code seen} holds {@code until} ids. Chunk-size lines are skipped. */
    private static void readIds(BufferedReader in, List<Long> seen, int until) throws IOException {
        String line;
        while (seen.size() < until && (line = in.readLine()) != null) {
            if (line.startsWith("id: "))
                seen.add(Long.parseLong(line.substring(4).trim()));
        }
    }
}
