package dev.solo.core.it;

import dev.solo.testing.Child;
import dev.solo.testing.Children;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Child JVMs started behind a launcher prefix: {@code setpriv --reuid=nobody ...} for the attacker of
 * another OS user, or a shell that sets {@code ulimit -n} first. The rest is {@link Children}'s: the
 * same flags, registry and home under the test's directory, and kill -9 after the test. Unlike {@link
 * Children#javaCommand}, nothing is created here: a directory this (root) JVM created would belong to
 * root, and the child of another user must create its own.
 */
final class Prefixed {
    private Prefixed() {}

    /** Starts {@code main} behind {@code prefix} with {@code classPath}, its registry and home in {@code home}. */
    static Child start(
            Children children, List<String> prefix, String classPath, Class<?> main, Path home, String... args) {
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Children.JVM_FLAGS);
        command.add("-Dsolo.home=" + home);
        command.add("-Duser.home=" + home.resolve("user"));
        command.add("-cp");
        command.add(classPath);
        command.add(main.getName());
        command.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("HOME", home.resolve("user").toString());
        return children.start(main.getSimpleName(), pb);
    }
}
