package dev.solo.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts child processes for a test and makes sure none outlives it: after each test every child is
 * killed ({@code destroyForcibly}, bounded wait), and when the test failed the output of every child
 * is printed and attached to the failure. Register it with {@code @RegisterExtension}.
 *
 * <p>A Java child runs {@code java <flags> -cp <this JVM's class path> <main>} with {@code
 * -Dsolo.home=<home>} and {@code HOME}/{@code user.home} set to {@code <home>/user}, so it never
 * touches the real registry or the real home directory, with flags that let 32 JVMs share two cores.
 */
public final class Children implements AfterEachCallback {
    /** Flags for small, quick child JVMs. */
    public static final List<String> JVM_FLAGS = List.of(
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-XX:-UsePerfData", // no hsperfdata file: its lock warning would land in the output we read
            "-Xshare:auto",
            "-Xmx64m",
            "-Dfile.encoding=UTF-8");

    private final List<Child> started = new CopyOnWriteArrayList<>();

    /** Starts {@code main} of the test class path with {@code args}, its registry and home in {@code home}. */
    public Child start(Class<?> main, Path home, String... args) {
        List<String> command = new ArrayList<>(javaCommand(home));
        command.add("-cp");
        command.add(classPath());
        command.add(main.getName());
        command.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        isolate(pb.environment(), home);
        return start(main.getSimpleName(), pb);
    }

    /** Starts {@code pb} as a child of this test, named {@code name} (plus a number) in reports. */
    public Child start(String name, ProcessBuilder pb) {
        String numbered = name + "#" + (started.size() + 1);
        try {
            Child child = new Child(numbered, pb.command(), pb.start());
            started.add(child);
            return child;
        } catch (IOException e) {
            throw new AssertionError("cannot start " + String.join(" ", pb.command()) + ": " + e, e);
        }
    }

    /** {@code java <flags> -Dsolo.home=<home> -Duser.home=<home>/user}: a child JVM's command up to the class path. */
    public static List<String> javaCommand(Path home) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.add("-Dsolo.home=" + home);
        command.add("-Duser.home=" + userHome(home));
        return command;
    }

    /** Points {@code HOME} of a child's environment at {@code <home>/user} (created), never the real home. */
    public static void isolate(Map<String, String> environment, Path home) {
        environment.put("HOME", userHome(home).toString());
    }

    private static Path userHome(Path home) {
        Path user = home.resolve("user");
        try {
            Files.createDirectories(user);
        } catch (IOException e) {
            throw new AssertionError("cannot create the child's home " + user + ": " + e, e);
        }
        return user;
    }

    /** Every child started in this test, in start order. */
    public List<Child> all() {
        return List.copyOf(started);
    }

    /** The output of every child, for assertion messages. */
    public String dumpAll() {
        StringBuilder b = new StringBuilder();
        for (Child c : started) b.append(c.dump());
        return b.toString();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<Child> children = all();
        started.clear();
        for (Child c : children) {
            c.process().descendants().forEach(ProcessHandle::destroyForcibly);
            c.process().destroyForcibly();
        }
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
     * The class path of this test JVM (Surefire and Failsafe set {@code java.class.path} to the test
     * class path), for child JVMs that run test programs.
     */
    public static String classPath() {
        String cp = System.getProperty("java.class.path");
        if (cp == null || cp.isBlank()) throw new IllegalStateException("java.class.path is not set");
        return Arrays.stream(cp.split(File.pathSeparator))
                .filter(e -> !e.isBlank())
                .reduce((a, b) -> a + File.pathSeparator + b)
                .orElseThrow();
    }
}
