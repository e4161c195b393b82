package dev.solo.cli.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.core.Registry;
import dev.solo.testing.Tmpfs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code solo ocr} with its state directory on a real full disk (a small tmpfs): every job stops
 * with an error that says the disk is full and what to do (not "make it writable"), and leaves no
 * half-written model, record or port behind. Needs root (to mount); skipped with the reason elsewhere.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OcrDiskFullProcessTest {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private Tmpfs tmpfs;
    private Path disk;
    private final List<Child> children = new ArrayList<>();

    @AfterEach
    void unmount() throws Exception {
        for (Child c : children) c.close();
        if (tmpfs != null) tmpfs.close();
    }

    private void mount(String size) throws Exception {
        tmpfs = Tmpfs.mount(tmp.resolve("disk"), size);
        disk = tmpfs.dir();
    }

    private Child solo(int[] range, String... args) throws IOException {
        Child c = Child.solo(Fixtures.env(disk, range, null), args);
        children.add(c);
        return c;
    }

    @Test
    void noRoomForTheModel() throws Exception {
        mount("200k");
        int[] range = Fixtures.freeRange(2);
        Path png = Files.write(tmp.resolve("sample.png"), Fixtures.png(List.of("Disk full"), 22));
        String full = "bytes free and the model needs ";
        for (String[] job : List.of(new String[] {"ocr", "--file", png.toString()}, new String[] {"ocr"})) {
            Child c = solo(range, job);
            assertThat(c.exitCode(START)).as(String.join(" ", job)).isEqualTo(OcrCommand.FAILED);
            assertThat(c.err())
                    .startsWith("Error: cannot write the Tesseract model to " + disk.resolve("cache/tessdata"))
                    .contains(full)
                    .contains("free some space there, or point SOLO_HOME at a directory on another disk")
                    .doesNotContain("writable", "Exception");
        }
        try (Stream<Path> files = Files.walk(disk)) {
            assertThat(files.filter(Files::isRegularFile)
                            .map(p -> p.getFileName().toString()))
                    .as("no half-written model")
                    .noneMatch(n -> n.contains("traineddata"));
        }
        assertNothingHeld(range);
    }

    @Test
    void noRoomForTheRegistryRecord() throws Exception {
        mount("4300k"); // the English model (4 MB) fits, then a filler takes the rest
        int[] range = Fixtures.freeRange(2);
        Path png = Files.write(tmp.resolve("sample.png"), Fixtures.png(List.of("Disk full"), 22));
        Child first = solo(range, "ocr", "--file", png.toString());
        assertThat(first.exitCode(START)).as(first.err()).isZero();
        tmpfs.fill("filler");

        Child resident = solo(range, "ocr");
        assertThat(resident.exitCode(START)).isEqualTo(OcrCommand.FAILED);
        assertThat(resident.err())
                .startsWith("Error: cannot write " + disk.resolve("instances"))
                .contains("The disk holding it is full (")
                .contains("free some space there, or set SOLO_HOME to a directory on another disk.")
                .doesNotContain("writable", "Exception");
        assertThat(resident.out()).doesNotContain("running");
        assertNothingHeld(range);
    }

    private void assertNothingHeld(int[] range) throws Exception {
        assertThat(Registry.at(disk).records()).isEmpty();
        for (int p = range[0]; p <= range[1]; p++) {
            try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getByName("127.0.0.1"))) {
                assertThat(s.getLocalPort()).isEqualTo(p);
            }
        }
    }
}
