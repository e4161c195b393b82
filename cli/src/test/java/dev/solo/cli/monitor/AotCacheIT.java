package dev.solo.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.solo.testing.AotJdk;
import dev.solo.testing.Finished;
import dev.solo.testing.Ports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitor's {@link AotCache} with a real JDK 25+ ({@link AotJdk}; skipped where there is none): {@code
 * solo monitor} started on it trains a cache in the background, the next start's server maps it (its {@code
 * /proc/<pid>/maps}), a cache that no longer fits (the jar rebuilt in place) is trained again, a cache beside
 * a jar in a folder others may write is never named, and nothing of it shows in the monitor's log.
 */
@Timeout(900)
class AotCacheIT {
    private static final Pattern PID = Pattern.compile("\"pid\":(\\d+)");
    private static final Duration TRAINING = Duration.ofSeconds(300); // a JVM start, a life, a cache dump; load 15

    @TempDir
    Path dir;

    private Path java;
    private Path state;
    private int port;
    private final List<Path> installs = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        java = AotJdk.java();
        state = dir.resolve("state");
        port = Ports.free();
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (Path jar : installs) solo(jar, "monitor", "stop", "--port", Integer.toString(port));
        // a training still running (its JVMs name the install folder or the training's state): ended by pid
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(dir.toString()))
                .forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void theFirstStartTrainsACacheTheNextServerMapsAndARebuiltJarGetsANewOne() throws Exception {
        Path jar = install(dir.resolve("own"), "rwx------");
        Path cache = jar.resolveSibling(AotCache.CACHE);

        long first = start(jar);
        assertThat(commandLine(first)).doesNotContain("-XX:AOTCache").contains("--enable-native-access=ALL-UNNAMED");
        awaitTrained(jar);
        stop(jar);

        long second = start(jar);
        assertThat(commandLine(second)).contains("-XX:AOTCache=" + cache);
        assertThat(Files.readString(Path.of("/proc/" + second + "/maps"))).contains(cache.toString());
        stop(jar);

        // rebuilt in place (a new time): the JVM would serve the old classes, so the old cache is not named
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now()));
        FileTime before = Files.getLastModifiedTime(cache);
        long third = start(jar);
        assertThat(commandLine(third)).doesNotContain("-XX:AOTCache");
        awaitTrained(jar);
        assertThat(Files.getLastModifiedTime(cache)).isNotEqualTo(before);
        stop(jar);
        long fourth = start(jar);
        assertThat(Files.readString(Path.of("/proc/" + fourth + "/maps"))).contains(cache.toString());
        stop(jar);

        String log = Files.readString(state.resolve("logs/monitor-port-" + port + ".log"));
        assertThat(log).doesNotContain("[aot]", "[cds]", "AOTCache", "WARNING").contains("Monitor running");
    }

    @Test
    void aCacheBesideAJarInAFolderOthersMayWriteIsNotUsedAndTheUsersOwnIsTrained() throws Exception {
        Path shared = dir.resolve("shared");
        Path jar = install(shared, "rwxrwxrwx");
        // someone who may write there puts a cache and a stamp that fit (here: garbage with a fitting stamp)
        Path planted = Files.writeString(shared.resolve(AotCache.CACHE), "planted");
        Files.writeString(shared.resolve(AotCache.STAMP), stampOf(jar, planted));

        long first = start(jar);
        assertThat(commandLine(first))
                .doesNotContain(shared.resolve(AotCache.CACHE).toString());
        Path own = state.resolve(ChildJvm.PRIVATE);
        await().atMost(TRAINING)
                .until(() -> Files.exists(own.resolve(AotCache.STAMP)) && !Files.exists(own.resolve(AotCache.CLAIM)));
        stop(jar);
        long second = start(jar);
        assertThat(commandLine(second)).contains("-XX:AOTCache=" + own.resolve(AotCache.CACHE));
        assertThat(Files.readString(Path.of("/proc/" + second + "/maps")))
                .contains(own.resolve(AotCache.CACHE).toString())
                .doesNotContain(shared.toString() + "/" + AotCache.CACHE);
        stop(jar);
        assertThat(Files.readString(planted)).isEqualTo("planted");
    }

    private Path install(Path folder, String mode) throws IOException {
        Files.createDirectories(folder);
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString(mode));
        Path jar = folder.resolve("solo.jar");
        Files.copy(SoloProcess.JAR, jar, StandardCopyOption.COPY_ATTRIBUTES);
        installs.add(jar);
        return jar;
    }

    private void awaitTrained(Path jar) {
        await().atMost(TRAINING)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> Files.exists(jar.resolveSibling(AotCache.STAMP))
                        && Files.readString(jar.resolveSibling(AotCache.STAMP))
                                .equals(stampOf(jar, jar.resolveSibling(AotCache.CACHE)))
                        && !Files.exists(jar.resolveSibling(AotCache.CLAIM)));
    }

    /** {@link AotCache#stampOf} as the JDK 25+ writes it (this test runs on another JDK). */
    private String stampOf(Path jar, Path cache) throws IOException {
        Path home = java.toRealPath().getParent().getParent();
        Matcher m = Pattern.compile("^JAVA_RUNTIME_VERSION=\"([^\"]+)\"", Pattern.MULTILINE)
                .matcher(Files.readString(home.resolve("release")));
        assertThat(m.find())
                .as("JAVA_RUNTIME_VERSION in " + home.resolve("release"))
                .isTrue();
        return jar.toAbsolutePath() + " " + Files.getLastModifiedTime(jar).toMillis() + " " + Files.size(jar) + " "
                + home + " " + m.group(1) + "\n" + Files.size(cache) + "\n";
    }

    /** {@code solo monitor --no-browser --port P} on the JDK 25+; the server's pid. */
    private long start(Path jar) throws Exception {
        Finished f = solo(jar, "monitor", "--no-browser", "--port", Integer.toString(port));
        assertThat(f.exit()).as(f.out() + f.err()).isZero();
        Matcher m = PID.matcher(health());
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }

    private void stop(Path jar) throws Exception {
        Finished f = solo(jar, "monitor", "stop", "--port", Integer.toString(port));
        assertThat(f.exit()).as(f.out() + f.err()).isZero();
    }

    private Finished solo(Path jar, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(jar.getParent().toFile());
        pb.environment().put("SOLO_HOME", state.toString());
        pb.environment().put("HOME", dir.toString());
        pb.environment().put("SOLO_NO_BROWSER", "1");
        pb.environment().remove("SOLO_MONITOR_PORT");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        return Finished.run(pb, Duration.ofSeconds(120), "solo " + String.join(" ", args));
    }

    private String health() throws IOException {
        try (var s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream()
                    .write(("GET /health HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String commandLine(long pid) throws IOException {
        return Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
    }
}
