package dev.solo.cli.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's headless defects as real processes: {@code --file} under load (defect 2), the client's
 * engine settings against a resident that reads differently (3), control characters (7), bad input
 * and settings (8), the pixel cap (issue 8 point 10) and codes.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class OcrRequestsProcessTest {
    private static final Duration START = Duration.ofSeconds(60);
    private static final List<String> LINES = List.of("Quarterly report for Acme", "Revenue grew by 42 percent");

    @TempDir
    Path home;

    private int[] range;
    private Map<String, String> env;
    private final List<Child> children = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        range = Fixtures.freeRange(4);
        env = Fixtures.env(home, range, null);
    }

    @AfterEach
    void killChildren() throws InterruptedException {
        for (Child c : children) c.close();
    }

    private Child solo(Map<String, String> extra, String... args) throws Exception {
        Map<String, String> e = new java.util.HashMap<>(env);
        e.putAll(extra);
        Child c = Child.solo(e, args);
        children.add(c);
        return c;
    }

    private Child resident(Map<String, String> extra) throws Exception {
        Child r = solo(extra, "ocr");
        r.awaitOut(l -> l.startsWith("solo ocr running on port"), START);
        return r;
    }

    @Test
    void fourParallelFilesAgainstAWarmResidentAllSucceed() throws Exception {
        Child resident = resident(Map.of());
        resident.awaitErr(l -> l.matches(".*up to \\d+ images read at once"), START);
        Path png = Files.write(home.resolve("x.png"), Fixtures.png(LINES, 22));
        List<Child> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) clients.add(solo(Map.of(), "ocr", "--file", png.toString(), "--json"));
        for (Child c : clients) {
            assertThat(c.exitCode(START)).as(c.err()).isZero();
            assertThat(c.out()).contains("\"delegated\":true").contains("Quarterly report for Acme");
        }
    }

    @Test
    void theClientsEngineSettingsAreHonouredOrTheJobRunsHere() throws Exception {
        resident(Map.of());
        Path png = Files.write(home.resolve("hello.png"), Fixtures.png(List.of("hello"), 22));
        // llm without MODEL is the same error with a resident as without one: nothing is delegated
        Child noModel = solo(Map.of("OCR_ENGINE", "llm"), "ocr", "--file", png.toString());
        assertThat(noModel.exitCode(START)).isEqualTo(OcrCommand.FAILED);
        assertThat(noModel.err()).contains("OCR_ENGINE=llm needs MODEL");
        assertThat(noModel.out()).isEmpty();
        // llm with a model: the tesseract resident says it cannot, the client asks the llm itself
        try (ChatApiStandIn llm = new ChatApiStandIn("hello from the model")) {
            Child asked = solo(
                    Map.of("OCR_ENGINE", "llm", "MODEL", "local/vision", "OCR_BASE_URL", llm.baseUrl()),
                    "ocr",
                    "--file",
                    png.toString());
            assertThat(asked.exitCode(START)).as(asked.err()).isZero();
            assertThat(asked.out()).isEqualTo("hello from the model");
            assertThat(asked.err())
                    .contains("cannot honour engine=llm: it reads with tesseract (eng)")
                    .contains("same settings as the client; running standalone.")
                    .doesNotContain(".;");
            assertThat(llm.requests.get()).isEqualTo(1);
        }
        // another language: the resident does not answer with English; the client names the missing model
        Child french = solo(Map.of("OCR_LANG", "fra"), "ocr", "--file", png.toString());
        assertThat(french.exitCode(START)).isEqualTo(OcrCommand.FAILED);
        assertThat(french.err())
                .contains("cannot honour lang=fra")
                .contains("no Tesseract model for the language fra (OCR_LANG=fra). Put fra.traineddata into "
                        + home.resolve("tessdata"));
    }

    @Test
    void controlCharactersNeverReachTheTerminal() throws Exception {
        Path png = Files.write(home.resolve("c.png"), Fixtures.png(List.of("x"), 22));
        try (ChatApiStandIn llm = new ChatApiStandIn("Hello\u001b[31m red\u0007\u0000 world\u009b2J")) {
            Map<String, String> viaLlm = Map.of("OCR_ENGINE", "llm", "MODEL", "m", "OCR_BASE_URL", llm.baseUrl());
            Child standalone = solo(viaLlm, "ocr", "--file", png.toString());
            assertThat(standalone.exitCode(START)).as(standalone.err()).isZero();
            assertThat(standalone.out()).isEqualTo("Hello[31m red world2J");
            resident(viaLlm);
            Child delegated = solo(viaLlm, "ocr", "--file", png.toString());
            assertThat(delegated.exitCode(START)).as(delegated.err()).isZero();
            assertThat(delegated.out()).isEqualTo("Hello[31m red world2J");
            Child json = solo(viaLlm, "ocr", "--file", png.toString(), "--json");
            assertThat(json.exitCode(START)).isZero();
            assertThat(json.out())
                    .contains("\"text\":\"Hello[31m red world2J\"")
                    .doesNotContain("\\u001b");
            assertThat(llm.requests.get()).isEqualTo(3);
        }
        // an endpoint's error text is quoted in the message: without its escape sequences
        try (ChatApiStandIn failing = new ChatApiStandIn(500, "{\"error\":{\"message\":\"bad \\u001b[2J model\"}}")) {
            Child error = solo(
                    Map.of("OCR_ENGINE", "llm", "MODEL", "m", "OCR_BASE_URL", failing.baseUrl()),
                    "ocr",
                    "--file",
                    png.toString());
            assertThat(error.exitCode(START)).isEqualTo(OcrCommand.FAILED);
            assertThat(error.err())
                    .contains("server error (HTTP 500): bad [2J model")
                    .doesNotContain("\u001b");
        }
    }

    /** A client that goes while the resident's llm engine reads its image takes the request with it. */
    @Test
    void aClientThatGoesCancelsTheResidentsLlmRequest() throws Exception {
        Path png = Files.write(home.resolve("gone.png"), Fixtures.png(List.of("x"), 22));
        try (HoldingChatApi llm = new HoldingChatApi()) {
            Map<String, String> viaLlm =
                    Map.of("OCR_ENGINE", "llm", "MODEL", "m", "OCR_BASE_URL", llm.baseUrl(), "OCR_DEADLINE_SEC", "300");
            Child resident = resident(viaLlm);
            Child client = solo(viaLlm, "ocr", "--file", png.toString());
            assertThat(llm.received.await(START.toSeconds(), TimeUnit.SECONDS))
                    .as("the resident asked the endpoint; client: %s", client.err())
                    .isTrue();
            client.process.destroyForcibly(); // SIGKILL: the kernel closes its socket, nothing is said
            assertThat(client.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            // well inside OCR_DEADLINE_SEC: the request ended because its client went, not by the deadline
            assertThat(llm.dropped.await(30, TimeUnit.SECONDS))
                    .as("the resident dropped the endpoint's request; resident: %s", resident.err())
                    .isTrue();
            resident.awaitErr(l -> l.contains("IMAGE: the client went away; its OCR was stopped"), START);
            assertThat(resident.err()).doesNotContain("Exception", "\tat ");
        }
    }

    @Test
    void aDecompressionBombIsRefusedBeforeDecodingAndAQrCodeIsRead() throws Exception {
        Child resident = resident(Map.of());
        Path bomb = Files.write(home.resolve("bomb.png"), Fixtures.blankPng(20_000, 20_000));
        assertThat(Files.size(bomb)).isLessThan(100_000);
        long t0 = System.nanoTime();
        Child big = solo(Map.of(), "ocr", "--file", bomb.toString());
        assertThat(big.exitCode(START)).isEqualTo(OcrCommand.FAILED);
        assertThat(big.err())
                .contains(bomb + " is 20000x20000 pixels (400.0 megapixels), over the limit of 40 megapixels"
                        + " (OCR_MAX_MEGAPIXELS)");
        assertThat(Fixtures.rssKiB(resident.process.pid()))
                .as("resident memory after the refused bomb")
                .isLessThan(600 * 1024);
        System.out.println("bomb refused in " + (System.nanoTime() - t0) / 1_000_000 + " ms");

        Path qr = Files.write(home.resolve("qr.png"), Fixtures.qrPng("https://example.org/a?b=1"));
        Child code = solo(Map.of(), "ocr", "--file", qr.toString(), "--json");
        assertThat(code.exitCode(START)).as(code.err()).isZero();
        assertThat(code.out())
                .contains("\"text\":\"https://example.org/a?b=1\"")
                .contains("\"codes\":[{\"format\":\"QR_CODE\",\"text\":\"https://example.org/a?b=1\"}]");
    }

    @Test
    void badUsageAndSettingsSayWhatAndWhere() throws Exception {
        Child mode = solo(Map.of(), "ocr", "--default-mode", "circle");
        assertThat(mode.exitCode(START)).isEqualTo(OcrCommand.USAGE);
        assertThat(mode.err()).contains("--default-mode must be rect or lasso, got 'circle'");
        Path dotEnv = Files.writeString(home.resolve("ocr.env"), "MODLE=vendor/model\n");
        Child typo = solo(Map.of("SOLO_OCR_ENV", dotEnv.toString()), "ocr", "--file", "x.png");
        assertThat(typo.exitCode(START)).isEqualTo(OcrCommand.FAILED);
        assertThat(typo.err()).contains(dotEnv + ":1: 'MODLE' is not a setting of solo ocr; did you mean MODEL?");
        Files.writeString(dotEnv, "HOTKEY=ctrl+alt+banana\n");
        Child hotkey = solo(Map.of("SOLO_OCR_ENV", dotEnv.toString()), "ocr", "config");
        assertThat(hotkey.exitCode(START)).isEqualTo(OcrCommand.FAILED);
        assertThat(hotkey.err()).contains("HOTKEY='ctrl+alt+banana' (from .env " + dotEnv + ")");
        Child ports = solo(Map.of("SINGLEINSTANCE_PORT_START", "abc"), "ocr", "--file", "x.png");
        assertThat(ports.exitCode(START)).isEqualTo(OcrCommand.FAILED);
        assertThat(ports.err()).contains("SINGLEINSTANCE_PORT_START='abc' (from environment) is not a port");
        for (Child c : List.of(mode, typo, hotkey, ports)) assertThat(c.err()).doesNotContain("\tat ");
    }

    @Test
    void aShortImageBodyGetsAnErrorNotASilentClose() throws Exception {
        resident(Map.of());
        int port = range[0];
        java.io.ByteArrayOutputStream req = new java.io.ByteArrayOutputStream();
        req.write(Fixtures.ascii("AUTH " + Fixtures.token(home) + "\nIMAGE 100\n"));
        req.write(new byte[50]);
        try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getByName("127.0.0.1"), port)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(req.toByteArray());
            s.shutdownOutput();
            String answer = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(answer).startsWith("ERROR\n").contains("ended after 50 of 100 bytes");
        }
    }

    @Test
    void aWideRangeWithFewFileDescriptorsStillFindsTheResident() throws Exception {
        Child resident = resident(Map.of());
        int port = Integer.parseInt(resident.out().replaceAll("(?s).*solo ocr running on port (\\d+).*", "$1"));
        // no registry hint (a record lost, say): the client has to scan the range; 3000 ports with 256
        // file descriptors, so the scan must bound its open sockets
        try (var records = Files.list(home.resolve("instances"))) {
            for (Path r : records.toList()) Files.delete(r);
        }
        Map<String, String> wide = new java.util.HashMap<>(env);
        wide.put("SINGLEINSTANCE_PORT_START", Integer.toString(Math.max(1024, range[1] - 3000)));
        wide.put("SINGLEINSTANCE_PORT_END", Integer.toString(range[1]));
        Path png = Files.write(home.resolve("w.png"), Fixtures.png(LINES, 22));
        Child client = Child.soloWithFileLimit(wide, 256, "ocr", "--file", png.toString(), "--json");
        children.add(client);
        assertThat(client.exitCode(START)).as(client.err()).isZero();
        assertThat(client.out()).contains("\"delegated\":true,\"port\":" + port);
    }
}
