package dev.solo.core.it;

import dev.solo.core.SingleInstance;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the test programs of {@code dev.solo.core.testapp} as child JVMs and makes sure none
 * outlives its test: after each test every child is killed ({@code destroyForcibly}, bounded wait),
 * and when the test failed the output of every child is printed and attached to the failure.
 *
 * <p>A child runs {@code java -cp core/target/classes:core/target/test-classes <main>} with {@code
 * -Dsolo.home=<the test's directory>}, so it never touches the real registry, and with flags that let
 * 32 JVMs share two cores.
 */
final class Children implements AfterEachCallback {
    private static final List<String> JVM_FLAGS = List.of(
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-XX:-UsePerfData", // no hsperfdata file: its lock warning would land in the output we read
            "-Xshare:auto",
            "-Xmx64m",
            "-Dfile.encoding=UTF-8");

    private final List<Child> started = new CopyOnWriteArrayList<>();

    /** Starts {@code main} with {@code args}, its registry in {@code home}. */
    Child start(Class<?> main, Path home, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.add("-Dsolo.home=" + home);
        command.add("-cp");
        command.add(classPath());
        command.add(main.getName());
        command.addAll(Arrays.asList(args));
        String name = main.getSimpleName() + "#" + (started.size() + 1);
        try {
            Process p = new ProcessBuilder(command).start();
            Child child = new Child(name, command, p);
            started.add(child);
            return child;
        } catch (IOException e) {
            throw new AssertionError("cannot start " + String.join(" ", command), e);
        }
    }

    /** Every child started in this test, in start order. */
    List<Child> all() {
        return List.copyOf(started);
    }

    /** The output of every child, for assertion messages. */
    String dumpAll() {
        StringBuilder b = new StringBuilder();
        for (Child c : started) b.append(c.dump());
        return b.toString();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<Child> children = all();
        started.clear();
        for (Child c : children) c.process().destroyForcibly();
        List<String> survivors = new ArrayList<>();
        for (Child c : children) {
            try {
                if (!c.process().waitFor(30, TimeUnit.SECONDS)) survivors.add(c.name() + " (pid " + c.pid() + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                survivors.add(c.name() + " (interrupted while waiting)");
            }
        }
        context.getExecutionException().ifPresent(failure -> {
            StringBuilder b = new StringBuilder();
            for (Child c : children) b.append(c.dump());
            System.err.println("==== " + context.getDisplayName() + " failed; output of its children:\n" + b);
            failure.addSuppressed(new ChildOutput(b.toString()));
        });
        if (!survivors.isEmpty()) {
            throw new AssertionError("children survived kill -9 for 30 s: " + survivors);
        }
    }

    /** Carries the children's output along with a test failure into the report. */
    private static final class ChildOutput extends Exception {
        private static final long serialVersionUID = 1L;

        ChildOutput(String output) {
            super("output of the child processes:\n" + output, null, false, false);
        }
    }

    /**
     * {@code target/classes} and {@code target/test-classes}. Failsafe may put the module's jar on the
     * test class path instead of {@code target/classes}; the directory beside {@code test-classes} is
     * the same code and is what the children get.
     */
    static String classPath() {
        Path testClasses = codeSource(Children.class);
        Path mainClasses = testClasses.resolveSibling("classes");
        if (!Files.isDirectory(mainClasses)) mainClasses = codeSource(SingleInstance.class);
        return mainClasses + File.pathSeparator + testClasses;
    }

    private static Path codeSource(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the classes of " + c.getName(), e);
        }
    }
}
