package dev.solo.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Creates the test JVM's home directory before any test runs. The parent POM points {@code user.home}
 * and {@code HOME} of the test JVMs at {@code target/test-home}, so nothing a test does (or a library
 * it loads, or a program it starts) writes to the real home; some programs refuse a home that does not
 * exist. Registered through {@code META-INF/services}.
 */
public final class TestHome implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        for (String home : new String[] {System.getProperty("user.home"), System.getenv("HOME")}) {
            if (home == null || !home.contains("test-home")) continue; // not set by the build: leave it alone
            try {
                Files.createDirectories(Path.of(home));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the test home " + home, e);
            }
        }
    }
}
