package dev.solo.core.it;

import static org.junit.jupiter.api.Assertions.fail;

import dev.solo.testing.Children;
import dev.solo.testing.OtherUser;
import dev.solo.testing.TestEnvironment;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a test program as the OS user {@code nobody}: the other local user of the trust review. This
 * needs root (CI runs as root) and {@code setpriv}, checked as {@link OtherUser#assume()} checks them. Where
 * that is impossible the test is skipped with the reason, except under {@code CI=true}, where it fails:
 * there the attacks must run.
 *
 * <p>{@code nobody} cannot read the build's directories in general (a checkout under {@code /root} is
 * 0700), so {@link #classPath()} copies the compiled classes into a temporary directory it can read;
 * {@link #close()} deletes it.
 */
final class Nobody implements AutoCloseable {
    /** The launcher prefix: drop to nobody, with no supplementary groups. */
    static List<String> setpriv() {
        return OtherUser.as(List.of());
    }

    static final int UID = OtherUser.NOBODY_UID;

    private final Path dir;
    private final String classPath;

    private Nobody(Path dir, String classPath) {
        this.dir = dir;
        this.classPath = classPath;
    }

    /** Skips (or under CI fails) the test unless it can start programs as nobody. */
    static Nobody require() throws IOException {
        OtherUser.assume(); // setpriv and root: skips with the reason, fails under CI=true
        if (!Files.readString(Path.of("/etc/passwd")).contains("\nnobody:")) {
            String why = "there is no user nobody";
            if (TestEnvironment.isCi()) fail("CI must run the attack tests, but " + why);
            Assumptions.abort("attack as another OS user skipped: " + why);
        }
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "solo-nobody-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        StringBuilder cp = new StringBuilder();
        for (String entry : Children.classPath().split(File.pathSeparator)) {
            Path target = dir.resolve("cp" + cp.length());
            copyReadable(Path.of(entry), target);
            if (cp.length() > 0) cp.append(File.pathSeparator);
            cp.append(target);
        }
        return new Nobody(dir, cp.toString());
    }

    /** A class path of world-readable copies of the core's and the tests' classes. */
    String classPath() {
        return classPath;
    }

    /** A fresh directory that nobody may write into (mode 0777), for what the attacker creates. */
    Path writableDir(String name) throws IOException {
        Path d = Files.createDirectory(dir.resolve(name));
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxrwxrwx"));
        return d;
    }

    private static void copyReadable(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                    Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rwxr-xr-x"));
                } else {
                    Files.copy(f, t);
                    Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
