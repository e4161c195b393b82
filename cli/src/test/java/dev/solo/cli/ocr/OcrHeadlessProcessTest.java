package dev.solo.cli.ocr;

import static dev.solo.cli.ocr.Fixtures.ascii;
import static dev.solo.cli.ocr.Fixtures.exchange;
import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.core.InstanceRecord;
import dev.solo.core.Registry;
import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code solo ocr} as real processes without a display: the resident serves IMAGE and the ADR-007
 * wire, {@code --file} is delegated or standalone, and a range never yields two residents.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OcrHeadlessProcessTest {
    private static final Duration START = Duration.ofSeconds(60);
    private static final List<String> LINES = List.of("Quarterly report for Acme", "Revenue grew by 42 percent");

    @TempDir
    Path home;

    private int[] range;
    private Map<String, String> env;
    private final java.util.List<Child> children = new java.util.ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        range = Fixtures.freeRange(4);
        env = Fixtures.env(home, range, null);
    }

    @AfterEach
    void killChildren() throws InterruptedException {
        for (Child c : children) c.close();
    }

    private Child solo(String... args) throws Exception {
        Child c = Child.solo(env, args);
        children.add(c);
        return c;
    }

    private int startResident() throws Exception {
        Child resident = solo("ocr");
        String line = resident.awaitOut(l -> l.startsWith("solo ocr running on port"), START);
        // stderr is its own pipe: the line may land after stdout's, so wait for it (deadline), never assume
        resident.awaitErr(l -> l.contains("the hotkey and the selection overlay are unavailable"), START);
        return Integer.parseInt(line.replaceAll("solo ocr running on port (\\d+).*", "$1"));
    }

    @Test
    void theResidentSpeaksAdr007OnTheWire() throws Exception {
        int port = startResident();
        assertThat(port).isBetween(range[0], range[1]);
        assertThat(exchange(port, ascii("PING\n"))).isEqualTo("PONG\n");
        assertThat(exchange(port, ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n")))
                .startsWith("ERROR\nthis port speaks the solo line protocol, not HTTP");
        assertThat(exchange(port, ascii("HELLO-WORLD\n"))).startsWith("ERROR\nunknown request");
        // a raw ADR-007 request of our own OS user is served without AUTH (issue 8 point 6): here it
        // reaches the verb, which has no display to select from
        assertThat(exchange(port, ascii("STDOUT\n"))).startsWith("ERROR\nno display (DISPLAY is not set)");
        String token = Fixtures.token(home);
        assertThat(exchange(port, ascii("AUTH " + token + "\nFROB\n")))
                .isEqualTo("ERROR\nunknown verb 'FROB'; solo-ocr serves CLIPBOARD, IMAGE, STATUS, STDOUT, STOP");
        assertThat(exchange(port, ascii("AUTH " + token + "\nSTDOUT\n")))
                .startsWith("ERROR\nno display (DISPLAY is not set)");
        byte[] png = Fixtures.png(LINES, 22);
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        req.write(ascii("AUTH " + token + "\nIMAGE " + png.length + "\n"));
        req.write(png);
        String answer = exchange(port, req.toByteArray());
        assertThat(answer).startsWith("SUCCESS\n");
        assertThat(Fixtures.words(answer.substring("SUCCESS\n".length())))
                .containsExactlyElementsOf(Fixtures.words(String.join(" ", LINES)));
        ByteArrayOutputStream junk = new ByteArrayOutputStream();
        junk.write(ascii("AUTH " + token + "\nIMAGE 5\n"));
        junk.write(ascii("hello"));
        assertThat(exchange(port, junk.toByteArray()))
                .isEqualTo(
                        "ERROR\nthe IMAGE body (5 bytes) is not an image this program can read; give a PNG or JPEG file");
    }

    @Test
    void fileIsDelegatedToAWarmResidentAndReadInProcessWithout() throws Exception {
        Path png = Files.write(home.resolve("sample.png"), Fixtures.png(LINES, 22));

        Child standalone = solo("ocr", "--file", png.toString(), "--json");
        assertThat(standalone.exitCode(START)).as(standalone.err()).isZero();
        assertThat(standalone.out()).contains("\"delegated\":false").contains("\"engine\":\"tesseract\"");
        assertThat(Fixtures.words(standalone.out())).containsSequence("quarterly", "report", "for", "acme");

        int port = startResident();
        Child delegated = solo("ocr", "--file", png.toString(), "--json");
        assertThat(delegated.exitCode(START)).as(delegated.err()).isZero();
        assertThat(delegated.out()).contains("\"delegated\":true,\"port\":" + port);

        Child stdin = solo("ocr", "--file", "-");
        try (var in = stdin.stdin()) {
            in.write(Files.readAllBytes(png));
        }
        assertThat(stdin.exitCode(START)).as(stdin.err()).isZero();
        assertThat(Fixtures.words(stdin.out())).containsExactlyElementsOf(Fixtures.words(String.join(" ", LINES)));

        Path blank = Files.write(home.resolve("blank.png"), Fixtures.png(List.of(), 22));
        Child none = solo("ocr", "--file", blank.toString());
        assertThat(none.exitCode(START)).isEqualTo(OcrCommand.FAILED);
        assertThat(none.err()).contains("Error: no text detected in image");

        Child missing = solo("ocr", "--file", home.resolve("nope.png").toString());
        assertThat(missing.exitCode(START)).isEqualTo(OcrCommand.FAILED);
        assertThat(missing.err()).contains("cannot read " + home.resolve("nope.png"));
    }

    @Test
    void anInputLargerThanAnyImageIsRefusedBeforeItIsReadWithOrWithoutAResident() throws Exception {
        // sparse files: their size costs no disk
        Path huge = home.resolve("huge.png");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(3L << 30);
        }
        Path big = home.resolve("big.png");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(100L << 20);
        }
        String limit = "larger than the 64 MiB (67108864 bytes) solo ocr reads as one image; crop it";

        Child alone = solo("ocr", "--file", huge.toString());
        assertThat(alone.exitCode(START)).isEqualTo(OcrCommand.FAILED);
        assertThat(alone.err())
                .startsWith("Error: " + huge + " is " + (3L << 30) + " bytes, " + limit)
                .endsWith("or save it as a compressed PNG or JPEG")
                .doesNotContain("Exception");
        if (Files.exists(Path.of("/dev/zero"))) { // no size to look at: the read itself stops at the limit
            Child zero = solo("ocr", "--file", "/dev/zero");
            assertThat(zero.exitCode(START)).isEqualTo(OcrCommand.FAILED);
            assertThat(zero.err()).startsWith("Error: /dev/zero is " + limit);
        }

        startResident();
        Child delegated = solo("ocr", "--file", big.toString());
        assertThat(delegated.exitCode(START)).isEqualTo(OcrCommand.FAILED);
        assertThat(delegated.err())
                .startsWith("Error: " + big + " is " + (100L << 20) + " bytes, " + limit)
                .doesNotContain("standalone");
    }

    @Test
    void twoResidentsNever() throws Exception {
        Child a = solo("ocr");
        Child b = solo("ocr");
        Child first = null;
        long deadline = System.nanoTime() + START.toNanos();
        while (first == null && System.nanoTime() < deadline) {
            if (a.out().contains("solo ocr running on port")) first = a;
            else if (b.out().contains("solo ocr running on port")) first = b;
            else if (!a.process.isAlive() && !b.process.isAlive()) break;
            else Thread.onSpinWait();
        }
        assertThat(first)
                .as("one resident started:\n%s\n%s\n%s\n%s", a.out(), a.err(), b.out(), b.err())
                .isNotNull();
        Child second = first == a ? b : a;
        int port = Integer.parseInt(first.out().replaceAll("(?s).*solo ocr running on port (\\d+).*", "$1"));
        assertThat(second.exitCode(START)).as(second.err()).isZero();
        assertThat(second.out()).contains("solo ocr already running on port " + port);
        assertThat(first.process.isAlive()).isTrue();
        assertThat(Registry.at(home).records()).extracting(InstanceRecord::port).containsExactly(port);
        Child third = solo("ocr");
        assertThat(third.exitCode(START)).isZero();
        assertThat(third.out()).contains("solo ocr already running on port " + port + " (pid " + first.process.pid());
    }

    @Test
    void sigtermStopsTheResidentAndReleasesPortAndRecord() throws Exception {
        int port = startResident();
        Child resident = children.get(0);
        assertThat(Registry.at(home).records()).hasSize(1);
        resident.process.destroy(); // SIGTERM
        assertThat(resident.exitCode(Duration.ofSeconds(20))).isIn(0, 143);
        assertThat(Registry.at(home).records()).isEmpty();
        try (var s = new java.net.ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertThat(s.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void usageErrorsAndConfig() throws Exception {
        Child c = solo("ocr", "--stdout");
        assertThat(c.exitCode(START)).isEqualTo(OcrCommand.USAGE);
        assertThat(c.err()).contains("--stdout goes with --run-once");
        Child bad = Child.solo(Map.of("SOLO_HOME", home.toString(), "OCR_ENGINE", "magic"), "ocr", "--file", "x.png");
        children.add(bad);
        assertThat(bad.exitCode(START)).isEqualTo(OcrCommand.FAILED);
        assertThat(bad.err()).contains("OCR_ENGINE='magic' (from environment) is not one of tesseract, llm");
        Path dotEnv = Files.writeString(home.resolve("ocr.env"), "HOTKEY=ctrl+shift+o\n");
        Child config = Child.solo(
                Map.of("SOLO_HOME", home.toString(), "SOLO_OCR_ENV", dotEnv.toString(), "MODEL", "m1"),
                "ocr",
                "--default-mode",
                "lasso",
                "config");
        children.add(config);
        assertThat(config.exitCode(START)).as(config.err()).isZero();
        assertThat(config.out())
                .containsPattern(
                        "HOTKEY\\s+ctrl\\+shift\\+o\\s+\\.env " + java.util.regex.Pattern.quote(dotEnv.toString()))
                .containsPattern("MODEL\\s+m1\\s+environment")
                .containsPattern("DEFAULT_MODE\\s+lasso\\s+flag --default-mode")
                .containsPattern("OCR_ENGINE\\s+tesseract\\s+default")
                .containsPattern("OCR_TESSDATA\\s+"
                        + java.util.regex.Pattern.quote(home.resolve("tessdata").toString()) + "\\s+default");
    }
}
