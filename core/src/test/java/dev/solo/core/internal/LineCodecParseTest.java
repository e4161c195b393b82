package dev.solo.core.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.core.support.MultiLocaleTest;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** {@link LineCodec#parseFirst}, {@link LineCodec#parseVerb} and the answer framing, in every test locale. */
class LineCodecParseTest {
    private static final String NONCE = "0123456789abcdef0123456789abcdef";

    private static String rejection(String line) {
        LineCodec.First first = LineCodec.parseFirst(line);
        assertThat(first).as("parseFirst(%s)", LineCodec.abbreviate(line)).isInstanceOf(LineCodec.Rejected.class);
        return ((LineCodec.Rejected) first).reason();
    }

    @MultiLocaleTest
    void pingIsExactlyPing() {
        assertThat(LineCodec.parseFirst("PING")).isEqualTo(new LineCodec.Ping());
        assertThat(rejection("ping")).startsWith("unknown request 'ping'");
        assertThat(rejection("PING ")).as("trailing space").isNotEmpty();
        assertThat(rejection(" PING")).contains("' PING'");
    }

    @MultiLocaleTest
    void aLocaleUppercasedPingIsNotPing() {
        String upper = "ping".toUpperCase(Locale.getDefault());
        LineCodec.First first = LineCodec.parseFirst(upper);
        if (upper.equals("PING")) {
            assertThat(first).isEqualTo(new LineCodec.Ping());
        } else {
            assertThat(upper).as("Turkish upper case of ping").isEqualTo("P\u0130NG");
            assertThat(first).isInstanceOf(LineCodec.Rejected.class);
        }
    }

    @MultiLocaleTest
    void helloTakesANonceOf16To128SafeCharacters() {
        assertThat(LineCodec.parseFirst("HELLO " + NONCE)).isEqualTo(new LineCodec.Hello(NONCE));
        assertThat(LineCodec.parseFirst("HELLO " + "a".repeat(16))).isInstanceOf(LineCodec.Hello.class);
        assertThat(LineCodec.parseFirst("HELLO " + "Z_-9".repeat(32))).isInstanceOf(LineCodec.Hello.class);

        assertThat(rejection("HELLO " + "a".repeat(15))).startsWith("HELLO needs a nonce of 16 to 128 characters");
        assertThat(rejection("HELLO " + "a".repeat(129))).startsWith("HELLO needs a nonce");
        assertThat(rejection("HELLO " + "a".repeat(15) + "!")).contains("got 'aaaaaaaaaaaaaaa!'");
        assertThat(rejection("HELLO " + NONCE + " extra")).startsWith("HELLO needs a nonce");
        assertThat(rejection("HELLO " + "\u0131".repeat(20)))
                .as("dotless i is no nonce character")
                .startsWith("HELLO needs a nonce");
        assertThat(rejection("HELLO")).isEqualTo("HELLO needs an argument; see docs/protocol.md");
        assertThat(rejection("hello " + NONCE)).startsWith("unknown request");
    }

    @MultiLocaleTest
    void authCarriesTheRestOfTheLineAsToken() {
        assertThat(LineCodec.parseFirst("AUTH abc")).isEqualTo(new LineCodec.Auth("abc"));
        assertThat(LineCodec.parseFirst("AUTH "))
                .as("an empty token is still AUTH (and fails the check)")
                .isEqualTo(new LineCodec.Auth(""));
        assertThat(LineCodec.parseFirst("AUTH a b")).isEqualTo(new LineCodec.Auth("a b"));
        assertThat(rejection("AUTH")).isEqualTo("AUTH needs an argument; see docs/protocol.md");
        assertThat(rejection("auth abc")).startsWith("unknown request");
    }

    @MultiLocaleTest
    void httpRequestLinesAreRecognisedAndRejected() {
        for (String line : new String[] {
            "GET / HTTP/1.1",
            "GET /health HTTP/1.0",
            "POST /api/hooks HTTP/1.1",
            "OPTIONS * HTTP/1.1",
            "CONNECT 127.0.0.1:49500 HTTP/1.1",
            "PRI * HTTP/2.0",
            "GET / HTTP/2"
        }) {
            assertThat(rejection(line))
                    .as("answer to %s", line)
                    .startsWith("this port speaks the solo line protocol, not HTTP (got '" + line + "')");
        }
    }

    @MultiLocaleTest
    void bareVerbsWithoutAuthAreRejectedAndNamed() {
        assertThat(rejection("STDOUT"))
                .isEqualTo("unauthenticated request 'STDOUT': send 'AUTH <token>' first"
                        + " (the per-user token file; see docs/protocol.md)");
        assertThat(rejection("CLIPBOARD")).startsWith("unauthenticated request 'CLIPBOARD'");
        assertThat(rejection("IMAGE 12 png")).startsWith("unauthenticated request 'IMAGE'");
    }

    @MultiLocaleTest
    void unknownLinesAreRejectedWithTheirTextQuotedAndCut() {
        assertThat(rejection("")).isEqualTo("unknown request ''; expected PING, HELLO <nonce> or AUTH <token>");
        assertThat(rejection("what is this")).startsWith("unknown request 'what is this'");
        assertThat(rejection("x".repeat(100))).contains("'" + "x".repeat(60) + "...'");
        assertThat(rejection("bad\u001b[31mred\u007f"))
                .as("control characters are masked")
                .contains("'bad?[31mred?'");
    }

    @MultiLocaleTest
    void parseVerbSplitsNameAndArgsAtTheFirstSpace() {
        assertThat(LineCodec.parseVerb("STDOUT")).isEqualTo(new LineCodec.Verb("STDOUT", ""));
        assertThat(LineCodec.parseVerb("IMAGE 12 png")).isEqualTo(new LineCodec.Verb("IMAGE", "12 png"));
        assertThat(LineCodec.parseVerb("OPEN ")).isEqualTo(new LineCodec.Verb("OPEN", ""));
        assertThat(LineCodec.parseVerb("A")).isEqualTo(new LineCodec.Verb("A", ""));
        assertThat(LineCodec.parseVerb("V2_X")).isEqualTo(new LineCodec.Verb("V2_X", ""));
        assertThat(LineCodec.parseVerb("A" + "B".repeat(31)))
                .as("32 characters")
                .isNotNull();
        assertThat(LineCodec.parseVerb("A" + "B".repeat(32)))
                .as("33 characters")
                .isNull();
        for (String bad : new String[] {"", " STDOUT", "stdout", "2FA", "_X", "ST-DOUT", "P\u0130NG", "STDOUT\t"}) {
            assertThat(LineCodec.parseVerb(bad))
                    .as("parseVerb(%s)", LineCodec.abbreviate(bad))
                    .isNull();
        }
        assertThat(LineCodec.isVerbName("CLIPBOARD")).isTrue();
        assertThat(LineCodec.isVerbName(null)).isFalse();
        assertThat(LineCodec.isVerbName("clipboard")).isFalse();
    }

    @MultiLocaleTest
    void successAndErrorFramingIsByteExact() {
        assertThat(LineCodec.success(new byte[0])).isEqualTo("SUCCESS\n".getBytes(UTF_8));
        assertThat(LineCodec.success("héllo\nworld".getBytes(UTF_8)))
                .isEqualTo("SUCCESS\nhéllo\nworld".getBytes(UTF_8));
        byte[] binary = {0, (byte) 0xff, '\n', (byte) 0x80};
        byte[] framed = LineCodec.success(binary);
        assertThat(framed)
                .hasSize(8 + 4)
                .startsWith("SUCCESS\n".getBytes(UTF_8))
                .endsWith(binary);
        assertThat(LineCodec.error("Busy, please retry")).isEqualTo("ERROR\nBusy, please retry".getBytes(UTF_8));
        assertThat(LineCodec.error("")).isEqualTo("ERROR\n".getBytes(UTF_8));
        assertThat(LineCodec.error("größe ✓")).isEqualTo("ERROR\ngröße ✓".getBytes(UTF_8));
    }

    @Test
    void adr007MessagesAreVerbatim() {
        assertThat(LineCodec.BUSY_MESSAGE).isEqualTo("Busy, please retry");
        assertThat(LineCodec.PONG).isEqualTo("PONG");
        assertThat(LineCodec.SHUTTING_DOWN_MESSAGE).isEqualTo("shutting down");
    }

    @Test
    void aGreetingCarriesTheIdentityTheClientCannotKnowAndTheAnswersLength() {
        dev.solo.core.ServiceIdentity id = new dev.solo.core.ServiceIdentity(
                "solo-ocr",
                "0.1.0 (build 7)",
                4242,
                "ada",
                "3f9c0a1b2c4d",
                java.time.Instant.parse("2026-11-20T09:00:00.123456Z"),
                49500,
                "",
                dev.solo.core.ServiceIdentity.State.BUSY);
        String head = LineCodec.greetingHead(id);
        String line = new String(LineCodec.greeting(head, 1032, id.version()), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(line).isEqualTo("SOLO 4242 49500 3f9c0a1b2c4d 1795165200.123456000 busy 1032 0.1.0 (build 7)\n");
        String bare = line.substring(0, line.length() - 1);
        assertThat(LineCodec.parseGreeting(bare, "solo-ocr", "ada", "")).isEqualTo(id);
        assertThat(LineCodec.greetedLength(bare)).isEqualTo(1032);
        String early = LineCodec.greeting(id);
        assertThat(early).isEqualTo("SOLO 4242 49500 3f9c0a1b2c4d 1795165200.123456000 busy - 0.1.0 (build 7)\n");
        assertThat(LineCodec.greetedLength(early.substring(0, early.length() - 1)))
                .as("sent before the answer: it ends at close")
                .isEqualTo(-1);
        assertThat(LineCodec.parseGreeting("SOLO 1 2", "s", "u", "")).isNull();
        assertThat(LineCodec.parseGreeting("HELLO {}", "s", "u", "")).isNull();
        assertThat(LineCodec.parseGreeting("SOLO x 2 i 1795165200.0 idle - v", "s", "u", ""))
                .isNull();
        assertThat(LineCodec.parseGreeting("SOLO 1 2 i 2026-11-20T09:00:00Z idle - v", "s", "u", ""))
                .isNull();
    }
}
