package dev.solo.core.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that lets a thread die of an uncaught exception, or that leaves threads of a
 * resident ({@code solo-*}) or of a test fake ({@code fake-*}) running after it ended. Servers and
 * fakes get a few seconds to wind down, as {@code LineServer.close()} promises.
 */
public final class ThreadHygiene implements BeforeEachCallback, AfterEachCallback {
    private static final Duration WIND_DOWN = Duration.ofSeconds(6);

    private final List<String> uncaught = Collections.synchronizedList(new ArrayList<>());
    private Thread.UncaughtExceptionHandler previous;

    @Override
    public void beforeEach(ExtensionContext context) {
        uncaught.clear();
        previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            uncaught.add(t.getName() + ": " + e);
            e.printStackTrace();
        });
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Thread.setDefaultUncaughtExceptionHandler(previous);
        try {
            Awaitility.await()
                    .atMost(WIND_DOWN)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> ours().isEmpty());
        } catch (ConditionTimeoutException e) {
            List<Thread> left = ours();
            throw new AssertionError("threads still running " + WIND_DOWN.toSeconds() + " s after the test: "
                    + describe(left) + ". Close every LineServer, Claimed and FakePeer the test opened.");
        }
        if (!uncaught.isEmpty()) {
            throw new AssertionError("uncaught exception(s) in other threads: " + uncaught);
        }
    }

    private static List<Thread> ours() {
        List<Thread> found = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            // The client's deadline thread lives as long as the JVM, by design (one per process).
            if (t.getName().equals("solo-client-deadlines")) continue;
            if (t.isAlive() && (t.getName().startsWith("solo-") || t.getName().startsWith("fake-"))) found.add(t);
        }
        return found;
    }

    private static String describe(List<Thread> threads) {
        Map<Thread, StackTraceElement[]> traces = Thread.getAllStackTraces();
        return threads.stream()
                .map(t -> t.getName() + " at " + topFrames(traces.get(t)))
                .collect(Collectors.joining("; "));
    }

    private static String topFrames(StackTraceElement[] trace) {
        if (trace == null || trace.length == 0) return "?";
        List<String> frames = new ArrayList<>();
        for (int i = 0; i < Math.min(3, trace.length); i++) frames.add(trace[i].toString());
        return String.join(" <- ", frames);
    }
}
