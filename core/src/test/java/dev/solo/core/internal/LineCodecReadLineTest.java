package dev.solo.core.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.solo.core.support.MultiLocaleTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link LineCodec#readLine} and the payload readers, on in-memory streams. */
class LineCodecReadLineTest {
    private static final int MAX = LineCodec.MAX_LINE;

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(UTF_8));
    }

    private static InputStream stream(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) all.writeBytes(p);
        return new ByteArrayInputStream(all.toByteArray());
    }

    private static byte[] repeat(char c, int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) c);
        return b;
    }

    @MultiLocaleTest
    void readsLinesInOrderAndNullAtTheEnd() throws IOException {
        InputStream in = stream("PING\nAUTH abc\nSTDOUT\n");
        assertThat(LineCodec.readLine(in, MAX)).isEqualTo("PING");
        assertThat(LineCodec.readLine(in, MAX)).isEqualTo("AUTH abc");
        assertThat(LineCodec.readLine(in, MAX)).isEqualTo("STDOUT");
        assertThat(LineCodec.readLine(in, MAX))
                .as("end of stream before a line")
                .isNull();
    }

    @Test
    void stripsOneCarriageReturnBeforeTheNewline() throws IOException {
        InputStream in = stream("PING\r\n\r\nA\r\r\nB\rC\n");
        assertThat(LineCodec.readLine(in, MAX)).isEqualTo("PING");
        assertThat(LineCodec.readLine(in, MAX))
                .as("a bare CRLF is an empty line")
                .isEmpty();
        assertThat(LineCodec.readLine(in, MAX)).as("only the last CR goes").isEqualTo("A\r");
        assertThat(LineCodec.readLine(in, MAX)).as("a CR inside a line stays").isEqualTo("B\rC");
    }

    @Test
    void aLineOfExactlyTheLimitIsAccepted() throws IOException {
        byte[] line = repeat('a', MAX);
        String read = LineCodec.readLine(stream(line, "\n".getBytes(UTF_8)), MAX);
        assertThat(read).hasSize(MAX);
    }

    @Test
    void aLineOfTheLimitPlusCarriageReturnIsAccepted() throws IOException {
        String read = LineCodec.readLine(stream(repeat('a', MAX), "\r\n".getBytes(UTF_8)), MAX);
        assertThat(read).as("the CR of a CRLF does not count").hasSize(MAX);
    }

    @Test
    void aLineOneByteOverTheLimitIsRejected() {
        InputStream in = stream(repeat('a', MAX + 1), "\n".getBytes(UTF_8));
        assertThatThrownBy(() -> LineCodec.readLine(in, MAX))
                .isInstanceOf(LineCodec.LineTooLongException.class)
                .hasMessage("line longer than 8192 bytes");
    }

    @Test
    void anEndlessLineIsRejectedWithoutReadingItAll() {
        byte[] huge = repeat('a', 1 << 20);
        ByteArrayInputStream in = new ByteArrayInputStream(huge);
        assertThatThrownBy(() -> LineCodec.readLine(in, MAX)).isInstanceOf(LineCodec.LineTooLongException.class);
        assertThat(huge.length - in.available())
                .as("bytes consumed before giving up")
                .isLessThanOrEqualTo(MAX + 2);
    }

    @Test
    void theLimitCountsBytesNotCharacters() throws IOException {
        // 'é' is two bytes in UTF-8: 4096 of them are exactly 8192 bytes, one more is over.
        String fits = "é".repeat(MAX / 2);
        assertThat(LineCodec.readLine(stream(fits + "\n"), MAX)).isEqualTo(fits);
        assertThatThrownBy(() -> LineCodec.readLine(stream(fits + "é\n"), MAX))
                .isInstanceOf(LineCodec.LineTooLongException.class);
    }

    @Test
    void aNulByteIsMalformed() {
        assertThatThrownBy(() -> LineCodec.readLine(stream("PI\0NG\n"), MAX))
                .isInstanceOf(LineCodec.MalformedLineException.class)
                .hasMessage("NUL byte in line");
    }

    @Test
    void invalidUtf8IsMalformed() {
        byte[][] bad = {
            {(byte) 0xC3, 0x28}, // a lead byte without its continuation
            {(byte) 0x80}, // a lone continuation byte
            {(byte) 0xC0, (byte) 0xAF}, // an overlong '/'
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // an encoded surrogate (CESU-8)
            {(byte) 0xFF, 'P', 'I', 'N', 'G'},
        };
        for (byte[] b : bad) {
            assertThatThrownBy(() -> LineCodec.readLine(stream(b, new byte[] {'\n'}), MAX))
                    .as("line bytes %s", Arrays.toString(b))
                    .isInstanceOf(LineCodec.MalformedLineException.class)
                    .hasMessage("line is not valid UTF-8");
        }
    }

    @Test
    void validMultiByteUtf8IsAccepted() throws IOException {
        assertThat(LineCodec.readLine(stream("STDOUT größe 😀 ✓\n"), MAX)).isEqualTo("STDOUT größe 😀 ✓");
    }

    @Test
    void theStreamEndingInsideALineIsMalformed() {
        assertThatThrownBy(() -> LineCodec.readLine(stream("PING"), MAX))
                .isInstanceOf(LineCodec.MalformedLineException.class)
                .hasMessageContaining("ended inside a line")
                .hasMessageContaining("4 bytes");
        assertThatThrownBy(() -> LineCodec.readLine(stream("PING\r"), MAX))
                .as("a CR is not a line end")
                .isInstanceOf(LineCodec.MalformedLineException.class);
    }

    @Test
    void anUnreasonableLimitIsRefusedUpFront() {
        assertThatThrownBy(() -> LineCodec.readLine(stream("a\n"), Integer.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got " + Integer.MAX_VALUE);
        assertThatThrownBy(() -> LineCodec.readLine(stream("a\n"), -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void smallLimitsWork() throws IOException {
        assertThat(LineCodec.readLine(stream("\n"), 0)).isEmpty();
        assertThatThrownBy(() -> LineCodec.readLine(stream("a\n"), 0))
                .isInstanceOf(LineCodec.LineTooLongException.class);
        assertThat(LineCodec.readLine(stream("abc\n"), 3)).isEqualTo("abc");
        assertThatThrownBy(() -> LineCodec.readLine(stream("abcd\n"), 3))
                .isInstanceOf(LineCodec.LineTooLongException.class);
    }

    @Test
    void readExactlyReadsTheBodyOrFails() throws IOException {
        InputStream in = stream("0123456789");
        assertThat(new String(LineCodec.readExactly(in, 4), UTF_8)).isEqualTo("0123");
        assertThat(LineCodec.readExactly(in, 0)).isEmpty();
        assertThatThrownBy(() -> LineCodec.readExactly(in, 7))
                .isInstanceOf(EOFException.class)
                .hasMessage("expected 7 bytes of body, got 6");
    }

    @Test
    void readPayloadReadsToTheEndWithinTheCap() throws IOException {
        byte[] payload = repeat('x', 100_000);
        assertThat(LineCodec.readPayload(new ByteArrayInputStream(payload), 100_000))
                .isEqualTo(payload);
        assertThat(LineCodec.readPayload(stream(""), 10)).isEmpty();
        assertThatThrownBy(() -> LineCodec.readPayload(new ByteArrayInputStream(payload), 99_999))
                .isInstanceOf(IOException.class)
                .hasMessage("payload larger than the cap of 99999 bytes");
    }
}
