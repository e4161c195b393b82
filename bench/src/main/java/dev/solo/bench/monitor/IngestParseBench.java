package dev.solo.bench.monitor;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.solo.monitor.ingest.Ingest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the hook route spends on a body's JSON, in CPU time per payload, over the fixtures of {@code
 * ../shared/fixtures/claude-code-hooks} (or the folder given as the first argument), to set against the
 * 200-300 µs of server CPU a hook costs in all ({@code MonitorReport --only hook}):
 *
 * <ul>
 *   <li>{@code hook}: {@link Ingest#hook}, the monitor's path (Jackson's tree, the field search, the trim,
 *       the compact write-back);
 *   <li>{@code tree}: Jackson's tree with the monitor's mapper settings read and written back, nothing else;
 *   <li>{@code tokens} (the floor): Jackson's parser walking every token, building nothing.
 * </ul>
 *
 * <p>Thread CPU time ({@link ThreadMXBean}), not wall time, so a loaded machine stretches it less; the
 * three alternate in 12 rounds of 300 passes over the fixtures, the first 4 rounds are warm-up, medians
 * of the rest. Run it as the server runs: {@code java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp
 * bench/target/benchmarks.jar dev.solo.bench.monitor.IngestParseBench}.
 */
public final class IngestParseBench {
    private static final String[] NAMES = {"hook", "tree", "tokens"};

    private IngestParseBench() {}

    public static void main(String[] args) throws Exception {
        List<byte[]> bodies = Fixtures.load(Path.of(args.length > 0 ? args[0] : Fixtures.DEFAULT_PLACES.get(0)));
        Ingest ingest = new Ingest();
        ObjectMapper mapper = JsonMapper.builder()
                .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        JsonFactory factory = new JsonFactory();
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        List<List<Double>> results = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        long sink = 0;
        for (int round = 0; round < 12; round++) {
            for (int m = 0; m < NAMES.length; m++) {
                long t0 = cpu.getCurrentThreadCpuTime();
                int ops = 0;
                for (int pass = 0; pass < 300; pass++) {
                    for (byte[] body : bodies) {
                        ops++;
                        if (m == 0) {
                            sink += ingest.hook(body).json().length();
                        } else if (m == 1) {
                            sink += mapper.writeValueAsString(mapper.readTree(body))
                                    .length();
                        } else {
                            try (JsonParser p = factory.createParser(body)) {
                                while (p.nextToken() != null) sink++;
                            }
                        }
                    }
                }
                if (round >= 4) results.get(m).add((cpu.getCurrentThreadCpuTime() - t0) / (double) ops);
            }
        }
        double tokens = median(results.get(2));
        System.out.printf("JSON per hook payload, %d payloads, CPU time (checksum %d)%n", bodies.size(), sink);
        for (int m = 0; m < NAMES.length; m++) {
            double v = median(results.get(m));
            System.out.printf("  %-6s %,7.0f ns  (%.2f× tokens)%n", NAMES[m], v, v / tokens);
        }
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
