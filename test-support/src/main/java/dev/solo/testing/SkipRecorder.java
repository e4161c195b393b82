package dev.solo.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Records every test that did not run, with its reason, into {@code target/test-skips/} of the module,
 * for {@link SkipSummary} to print at the end of the module's build. A class skipped as a whole (a
 * condition, or an assumption in {@code @BeforeAll}) counts each of its tests, so a missing browser
 * shows as "12 tests skipped", never as "Tests run: 0".
 *
 * <p>Registered for every test JVM through {@code META-INF/services}; Surefire and Failsafe pass the
 * build's id as {@code -Dsolo.build.id}, so a summary shows this build's skips only.
 */
public final class SkipRecorder implements TestExecutionListener {
    private final Set<String> started = ConcurrentHashMap.newKeySet();
    private final List<Skip> skips = Collections.synchronizedList(new ArrayList<>());
    private volatile TestPlan plan;

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
    }

    @Override
    public void executionStarted(TestIdentifier id) {
        started.add(id.getUniqueId());
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        record(id, Skip.kindOf(reason, false), reason);
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (result.getStatus() != TestExecutionResult.Status.ABORTED) return;
        String reason = result.getThrowable()
                .map(t -> t.getMessage() == null ? t.getClass().getName() : t.getMessage())
                .orElse("aborted");
        record(id, Skip.kindOf(reason, true), reason);
    }

    /** {@code id} if it is a test, else each of its tests that never started. */
    private void record(TestIdentifier id, String kind, String reason) {
        if (id.isTest()) {
            skips.add(skip(id, kind, reason));
            return;
        }
        List<TestIdentifier> tests = new ArrayList<>();
        if (plan != null) {
            for (TestIdentifier d : plan.getDescendants(id)) {
                if (d.isTest() && !started.contains(d.getUniqueId())) tests.add(d);
            }
        }
        if (tests.isEmpty()) skips.add(skip(id, kind, reason)); // dynamic or empty container: count the container
        for (TestIdentifier t : tests) skips.add(skip(t, kind, reason));
    }

    private static Skip skip(TestIdentifier id, String kind, String reason) {
        String className = "";
        String name = id.getDisplayName();
        TestSource source = id.getSource().orElse(null);
        if (source instanceof MethodSource m) {
            className = m.getClassName();
            name = m.getMethodName() + (id.getDisplayName().startsWith("[") ? " " + id.getDisplayName() : "");
        } else if (source instanceof ClassSource c) {
            className = c.getClassName();
        }
        return new Skip(kind, className, name, reason);
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        List<Skip> copy;
        synchronized (skips) {
            copy = List.copyOf(skips);
        }
        if (copy.isEmpty()) return;
        Path dir = TestEnvironment.targetDir().resolve("test-skips");
        String build = System.getProperty("solo.build.id", "local");
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(build + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".tsv");
            List<String> lines = copy.stream().map(Skip::toLine).toList();
            Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the skipped-tests record under " + dir, e);
        }
    }
}
