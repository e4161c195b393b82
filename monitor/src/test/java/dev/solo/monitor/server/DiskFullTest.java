package dev.solo.monitor.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.solo.core.Registry;
import dev.solo.monitor.testing.TestMonitors;
import dev.solo.testing.RawHttp;
import dev.solo.testing.Tmpfs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk: the monitor's database on a 4 MiB tmpfs that a filler file fills up. Ingest answers
 * 503 for what it could not store and stores none of it, and works again by itself once the filler is
 * gone. Needs root (to mount); skipped with the reason elsewhere.
 */
class DiskFullTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    Tmpfs tmpfs;
    MonitorServer server;

    @AfterEach
    void unmount() throws Exception {
        if (server != null) server.close();
        if (tmpfs != null) tmpfs.close();
    }

    RawHttp.Reply post(String token, int seq) throws IOException {
        String body = "{\"session_id\":\"disk\",\"hook_event_name\":\"PostToolUse\",\"seq\":" + seq + ",\"out\":\""
                + "y".repeat(20_000) + "\"}";
        return RawHttp.send(
                server.port(),
                "POST",
                "/api/hooks",
                Map.of("Authorization", "Bearer " + token),
                body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aFullDiskStoresNothingItRefusedAndIngestRecoversWhenSpaceIsBack() throws Exception {
        tmpfs = Tmpfs.mount(home.resolve("disk"), "4m");
        Path disk = tmpfs.dir();
        Registry registry = Registry.at(home.resolve("solo"));
        String token = registry.token().value();
        server = TestMonitors.start(registry, "disk", c -> c.withDatabase(disk.resolve("monitor.db")));
        Set<Integer> acked = new HashSet<>();
        Set<Integer> refused = new HashSet<>();
        int seq = 0;
        for (; seq < 5; seq++) assertThat(post(token, seq).status()).isEqualTo(200);
        for (int i = 0; i < 5; i++) acked.add(i);

        Path filler = tmpfs.fill("filler");
        for (int tries = 0; refused.size() < 5 && tries < 200; tries++, seq++) {
            var r = post(token, seq);
            assertThat(r.status()).as(r.body()).isIn(200, 503);
            (r.status() == 200 ? acked : refused).add(seq);
            if (r.status() == 503) {
                assertThat(JSON.readTree(r.body()).get("error").asText())
                        .contains("Nothing of this request was stored");
            }
        }
        assertThat(refused).hasSizeGreaterThanOrEqualTo(5);

        Files.delete(filler); // space is back
        for (int i = 0; i < 5; i++, seq++) {
            assertThat(post(token, seq).status())
                    .as("event %d after space came back", seq)
                    .isEqualTo(200);
            acked.add(seq);
        }
        // Reads wait for the writer only while it writes: until its next try (every 250 ms) finds the space,
        // what was acknowledged meanwhile is in the inbox, not yet in the database. Then all of it is.
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(stored(token)).containsAll(acked));
        assertThat(stored(token)).doesNotContainAnyElementsOf(refused);
    }

    private Set<Integer> stored(String token) throws IOException {
        Set<Integer> stored = new HashSet<>();
        var page = RawHttp.send(
                server.port(), "GET", "/api/events?limit=1000", Map.of("Authorization", "Bearer " + token), null);
        for (JsonNode e : JSON.readTree(page.body()).get("events"))
            stored.add(e.get("data").get("seq").asInt());
        return stored;
    }
}
