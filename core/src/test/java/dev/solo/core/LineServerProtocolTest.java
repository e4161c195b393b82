package dev.solo.core;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.core.internal.Json;
import dev.solo.core.support.MultiLocaleTest;
import dev.solo.core.support.RawClient;
import dev.solo.core.support.Reply;
import dev.solo.core.support.Residents;
import dev.solo.core.support.ThreadHygiene;
import dev.solo.testing.Ports;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * ADR-007's exchanges byte for byte against an in-process resident on a real loopback port, and
 * every kind of bad input: each gets {@code ERROR} and calls no handler.
 */
@ExtendWith(ThreadHygiene.class)
class LineServerProtocolTest {
    private static final String TEXT = "Größe: 42 ✓\nsecond line";

    @TempDir
    Path home;

    private final AtomicInteger calls = new AtomicInteger();
    private SingleInstance app;
    private LineServer server;
    private int port;
    private String token;

    @BeforeEach
    void start() {
        app = Residents.app(home, PortPolicy.fixed(Ports.free())).build();
        server = Residents.serve(
                app,
                Verb.exclusive("STDOUT", r -> {
                    calls.incrementAndGet();
                    return Response.success(TEXT);
                }),
                Verb.exclusive("CLIPBOARD", r -> {
                    calls.incrementAndGet();
                    return Response.ok();
                }),
                Verb.concurrent("FAIL", r -> {
                    calls.incrementAndGet();
                    throw new IllegalStateException("OCR failed: the engine found no text in the region");
                }),
                Verb.concurrent("IMAGE", r -> {
                            calls.incrementAndGet();
                            return Response.success(r.body().length + " bytes");
                        })
                        .withBody(1000),
                Verb.concurrent("CANCEL", r -> {
                    calls.incrementAndGet();
                    return Response.error("cancelled by the user");
                }));
        port = server.port();
        token = app.registry().token().value();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Reply send(String request) throws Exception {
        return RawClient.exchange(port, request);
    }

    private void assertRejectedWithoutAction(String what, byte[] request, String expectedMessagePrefix)
            throws Exception {
        Reply reply = RawClient.exchange(port, request);
        assertThat(reply.errorMessage()).as("message for %s", what).startsWith(expectedMessagePrefix);
        assertThat(calls.get()).as("handler calls after %s", what).isZero();
        assertThat(reply.reset())
                .as("connection reset instead of a clean close after %s (the resident must read what is left)", what)
                .isFalse();
    }

    @MultiLocaleTest
    void pingIsAnsweredPongThenClose() throws Exception {
        send("PING\n").assertExactly("PONG\n");
        send("PING\r\n").assertExactly("PONG\n");
        assertThat(calls.get()).isZero();
    }

    @MultiLocaleTest
    void stdoutAnswersSuccessAndTheText() throws Exception {
        send("AUTH " + token + "\nSTDOUT\n").assertExactly("SUCCESS\n" + TEXT);
        assertThat(calls.get()).isEqualTo(1);
    }

    @MultiLocaleTest
    void clipboardAnswersSuccessWithAnEmptyPayload() throws Exception {
        send("AUTH " + token + "\r\nCLIPBOARD\r\n").assertExactly("SUCCESS\n");
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void aFailingHandlerAnswersErrorWithItsMessage() throws Exception {
        send("AUTH " + token + "\nFAIL\n").assertExactly("ERROR\nOCR failed: the engine found no text in the region");
        send("AUTH " + token + "\nCANCEL\n").assertExactly("ERROR\ncancelled by the user");
    }

    @MultiLocaleTest
    void helloAnswersTheIdentityWithAProofOfTheToken() throws Exception {
        String nonce = Token.nonce();
        String text;
        try (RawClient c = RawClient.connect(port)) {
            text = c.send("HELLO " + nonce + "\n").readLine();
        }
        assertThat(text).startsWith("HELLO {").endsWith("}\n");
        Map<String, Object> json = Json.parseObject(text.substring(6).trim());
        assertThat(json)
                .containsEntry("service", Residents.SERVICE)
                .containsEntry("port", (long) port)
                .containsEntry("pid", ProcessHandle.current().pid())
                .containsEntry("user", app.user())
                .containsEntry("state", "idle")
                .containsEntry("protocol", 2L)
                .doesNotContainValue(token);
        assertThat(app.registry().token().verifiesProof(nonce, ServiceIdentity.fromMap(json), (String)
                        json.get("proof")))
                .as("proof %s of nonce %s", json.get("proof"), nonce)
                .isTrue();
    }

    @Test
    void helloThenAuthOnTheSameConnectionActs() throws Exception {
        try (RawClient c = RawClient.connect(port)) {
            c.send("HELLO " + Token.nonce() + "\n");
            assertThat(c.readLine()).startsWith("HELLO {");
            c.send("AUTH " + token + "\nSTDOUT\n").readToEnd().assertExactly("SUCCESS\n" + TEXT);
        }
        try (RawClient c = RawClient.connect(port)) {
            String text =
                    c.send("HELLO " + Token.nonce() + "\nSTDOUT\n").readToEnd().text();
            assertThat(text.substring(text.indexOf('\n') + 1))
                    .isEqualTo("ERROR\nafter HELLO only AUTH <token> may follow, got 'STDOUT'");
        }
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void aMissingTokenIsRefusedWithoutAction() throws Exception {
        assertRejectedWithoutAction(
                "bare STDOUT (an ADR-007 client)",
                "STDOUT\n".getBytes(UTF_8),
                "unauthenticated request 'STDOUT': send 'AUTH <token>' first");
        assertRejectedWithoutAction("bare CLIPBOARD", "CLIPBOARD\n".getBytes(UTF_8), "unauthenticated request");
        assertRejectedWithoutAction("AUTH without token", "AUTH\nSTDOUT\n".getBytes(UTF_8), "AUTH needs an argument");
        assertRejectedWithoutAction(
                "AUTH with empty token", "AUTH \nSTDOUT\n".getBytes(UTF_8), "unauthorized: wrong token");
    }

    @Test
    void aWrongTokenIsRefusedWithoutAction() throws Exception {
        String wrong = Token.random().value();
        assertRejectedWithoutAction(
                "another token",
                ("AUTH " + wrong + "\nSTDOUT\n").getBytes(UTF_8),
                "unauthorized: wrong token. Use the token of the user running the resident");
        assertRejectedWithoutAction(
                "token prefix", ("AUTH " + token.substring(0, 32) + "\nSTDOUT\n").getBytes(UTF_8), "unauthorized");
        assertRejectedWithoutAction(
                "token with a suffix", ("AUTH " + token + "0\nSTDOUT\n").getBytes(UTF_8), "unauthorized");
        assertRejectedWithoutAction(
                "the token's proof instead",
                ("AUTH " + app.registry().token().proof("x", server.identity()) + "\nSTDOUT\n").getBytes(UTF_8),
                "unauthorized");
    }

    @MultiLocaleTest
    void unknownVerbsAndFirstLinesAreRefusedWithoutAction() throws Exception {
        assertRejectedWithoutAction(
                "an unknown verb",
                ("AUTH " + token + "\nSHUTDOWN\n").getBytes(UTF_8),
                "unknown verb 'SHUTDOWN'; solo-test serves CANCEL, CLIPBOARD, FAIL, IMAGE, STDOUT");
        assertRejectedWithoutAction(
                "a lower-case verb", ("AUTH " + token + "\nstdout\n").getBytes(UTF_8), "unknown verb 'stdout'");
        assertRejectedWithoutAction(
                "a Turkish upper-cased verb", ("AUTH " + token + "\nSTDOUT\u0130\n").getBytes(UTF_8), "unknown verb");
        assertRejectedWithoutAction(
                "an unknown first line",
                "hello world\n".getBytes(UTF_8),
                "unknown request 'hello world'; expected PING, HELLO <nonce> or AUTH <token>");
        assertRejectedWithoutAction("an empty line", "\n".getBytes(UTF_8), "unknown request ''");
        assertRejectedWithoutAction("a bad nonce", "HELLO short\n".getBytes(UTF_8), "HELLO needs a nonce");
    }

    @Test
    void httpRequestsAreRefusedWithoutAction() throws Exception {
        assertRejectedWithoutAction(
                "a bare request line",
                "GET / HTTP/1.1\r\n".getBytes(UTF_8),
                "this port speaks the solo line protocol, not HTTP (got 'GET / HTTP/1.1')");
        assertRejectedWithoutAction(
                "a browser request",
                ("GET /?cmd=STDOUT HTTP/1.1\r\nHost: 127.0.0.1:" + port
                                + "\r\nUser-Agent: Mozilla/5.0\r\nAccept: */*\r\n\r\n")
                        .getBytes(UTF_8),
                "this port speaks");
        assertRejectedWithoutAction(
                "a cross-site form post",
                ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 22\r\n\r\n" + "AUTH x\nSTDOUT\n").getBytes(UTF_8),
                "this port speaks");
    }

    @Test
    void anOverLongLineIsRefusedWithoutAction() throws Exception {
        byte[] line = new byte[8193 + 1];
        Arrays.fill(line, (byte) 'A');
        line[8193] = '\n';
        assertRejectedWithoutAction("a first line of 8193 bytes", line, "line longer than 8192 bytes");

        ByteArrayOutputStream authThenLong = new ByteArrayOutputStream();
        authThenLong.writeBytes(("AUTH " + token + "\nSTDOUT ").getBytes(UTF_8));
        authThenLong.writeBytes(line);
        assertRejectedWithoutAction(
                "a verb line over 8192 bytes", authThenLong.toByteArray(), "line longer than 8192 bytes");
    }

    @Test
    void exactlyEightKibibytesIsStillALine() throws Exception {
        String args = "x".repeat(8192 - "STDOUT ".length());
        send("AUTH " + token + "\nSTDOUT " + args + "\n").assertExactly("SUCCESS\n" + TEXT);
    }

    @Test
    void malformedBytesAreRefusedWithoutAction() throws Exception {
        assertRejectedWithoutAction(
                "invalid UTF-8", new byte[] {'P', (byte) 0xC3, '(', '\n'}, "malformed line: line is not valid UTF-8");
        assertRejectedWithoutAction(
                "a NUL byte", new byte[] {'P', 'I', 0, 'N', 'G', '\n'}, "malformed line: NUL byte in line");
        byte[] authThenBad = ("AUTH " + token + "\nSTD\u00ff\n").getBytes(ISO_8859_1);
        assertRejectedWithoutAction("a Latin-1 verb line after AUTH", authThenBad, "malformed line");
    }

    @Test
    void aClientThatStopsMidLineGetsAnErrorAndNoAction() throws Exception {
        try (RawClient c = RawClient.connect(port)) {
            c.send("AUTH " + token + "\nSTDO");
            c.shutdownOutput();
            assertThat(c.readToEnd().errorMessage()).startsWith("malformed line: the stream ended inside a line");
        }
        assertThat(calls.get()).isZero();
    }

    @Test
    void aBodyShorterThanAnnouncedGetsAnErrorNamingBothLengthsAndNoAction() throws Exception {
        try (RawClient c = RawClient.connect(port)) {
            c.send("AUTH " + token + "\nIMAGE 100\n" + "x".repeat(50));
            c.shutdownOutput();
            assertThat(c.readToEnd().errorMessage())
                    .isEqualTo("the IMAGE body ended after 50 of 100 bytes; send exactly 100 bytes after 'IMAGE 100'");
        }
        assertThat(calls.get()).isZero();
        send("AUTH " + token + "\nIMAGE 3\nabc").assertExactly("SUCCESS\n3 bytes");
    }
}
