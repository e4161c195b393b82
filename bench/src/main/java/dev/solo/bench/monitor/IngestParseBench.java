package dev.solo.bench.monitor;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.solo.monitor.ingest.BadPayloadException;
import dev.solo.monitor.ingest.Ingest;
import dev.solo.monitor.store.NewEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the hook route spends on a body's JSON, per payload, over the 61 fixtures of {@code
 * ../shared/fixtures/claude-code-hooks} (another folder: {@code -Dsolo.bench.fixtures=DIR}), in the
 * server's JIT mode (C1 only), to set against the 200-300 µs of server CPU a hook costs in all ({@code
 * MonitorReport --only hook}):
 *
 * <ul>
 *   <li>{@code hook}: {@link Ingest#hook}, the monitor's path (Jackson's tree, the field search, the trim,
 *       the compact write-back);
 *   <li>{@code tree}: Jackson's tree with the monitor's mapper settings read and written back, nothing else;
 *   <li>{@code tokens} (floor): Jackson's parser walking every token, building nothing.
 * </ul>
 *
 * <p>On a loaded machine read it with {@code -prof gc} or compare the three within one run: the
 * scores are wall time per payload.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"})
public class IngestParseBench {
    private static final int N = 61;

    @State(Scope.Benchmark)
    public static class Bodies {
        List<byte[]> bodies;
        final Ingest ingest = new Ingest();
        final ObjectMapper mapper = JsonMapper.builder()
                .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        final JsonFactory factory = new JsonFactory();

        @Setup
        public void load() throws IOException {
            String dir = System.getProperty("solo.bench.fixtures", "../shared/fixtures/claude-code-hooks");
            List<byte[]> all = Fixtures.load(Path.of(dir));
            bodies = all.subList(0, Math.min(N, all.size()));
            if (bodies.size() != N) throw new IOException("expected " + N + " fixtures in " + dir);
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int hook(Bodies b) throws BadPayloadException {
        int h = 0;
        for (byte[] body : b.bodies) {
            NewEvent e = b.ingest.hook(body);
            h += e.json().length();
        }
        return h;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int tree(Bodies b) throws IOException {
        int h = 0;
        for (byte[] body : b.bodies) {
            JsonNode root = b.mapper.readTree(body);
            h += b.mapper.writeValueAsString(root).length();
        }
        return h;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int tokens(Bodies b) throws IOException {
        int h = 0;
        for (byte[] body : b.bodies) {
            try (JsonParser p = b.factory.createParser(body)) {
                while (p.nextToken() != null) h++;
            }
        }
        return h;
    }
}
