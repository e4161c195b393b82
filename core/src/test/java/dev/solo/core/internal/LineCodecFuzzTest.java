package dev.solo.core.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Coverage-guided fuzzing of the codec with Jazzer: arbitrary bytes as a client's stream, read line
 * by line, each line classified as a first line and as a verb line.
 *
 * <p>Invariants: only the documented exceptions; a line never exceeds the limit nor holds
 * {@code \n} or NUL; the bytes a line consumed are exactly its UTF-8 form plus {@code [\r]\n}; every
 * classification agrees with the line it came from; every rejection reason is one printable line.
 *
 * <p>{@code ./mvnw verify} runs this as a regression test over the inputs in {@code
 * LineCodecFuzzTestInputs}, the same every time. {@code ./mvnw -Pfuzz -pl core -am test} fuzzes for
 * {@code maxDuration} ({@code JAZZER_FUZZ=1}); a finding is saved there as a new regression input, to
 * commit with the fix.
 */
class LineCodecFuzzTest {
    private static final Pattern VERB = Pattern.compile("[A-Z][A-Z0-9_]{0,31}");
    private static final Pattern NONCE = Pattern.compile("[0-9A-Za-z_-]{16,128}");
    /** The real limit and a small one the fuzzer reaches easily. */
    private static final int[] LIMITS = {LineCodec.MAX_LINE, 24};

    @FuzzTest(maxDuration = "20s")
    void clientStream(byte[] input) throws IOException {
        for (int max : LIMITS) readAll(input, max);
    }

    private static void readAll(byte[] input, int max) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(input);
        while (true) {
            int before = in.available();
            String line;
            try {
                line = LineCodec.readLine(in, max);
            } catch (LineCodec.LineTooLongException | LineCodec.MalformedLineException expected) {
                return; // the resident answers ERROR and closes
            }
            if (line == null) {
                check(before == 0, "null before the end of the stream", input);
                return;
            }
            byte[] bytes = line.getBytes(UTF_8);
            check(bytes.length <= max, "line of " + bytes.length + " bytes over the limit " + max, input);
            check(line.indexOf('\n') < 0 && line.indexOf('\0') < 0, "line holds \\n or NUL", input);
            int consumed = before - in.available();
            int offset = input.length - before;
            byte[] raw = Arrays.copyOfRange(input, offset, offset + consumed);
            check(raw[raw.length - 1] == '\n', "line did not end at a \\n", input);
            int body = raw.length - 1 - (raw.length > 1 && raw[raw.length - 2] == '\r' ? 1 : 0);
            check(Arrays.equals(bytes, Arrays.copyOf(raw, body)), "line is not its bytes", input);
            classify(line, input);
        }
    }

    private static void classify(String line, byte[] input) {
        LineCodec.First first = LineCodec.parseFirst(line);
        if (first instanceof LineCodec.Ping) {
            check(line.equals("PING"), "PING from another line", input);
        } else if (first instanceof LineCodec.Hello h) {
            check(line.equals("HELLO " + h.nonce()) && NONCE.matcher(h.nonce()).matches(), "bad HELLO", input);
        } else if (first instanceof LineCodec.Auth a) {
            check(line.equals("AUTH " + a.token()), "AUTH token is not the rest of the line", input);
        } else if (first instanceof LineCodec.Rejected r) {
            check(!r.reason().isEmpty(), "empty rejection", input);
            for (char c : r.reason().toCharArray()) check(c >= 0x20 && c != 0x7f, "control char in reason", input);
            byte[] framed = LineCodec.error(r.reason());
            check(new String(framed, UTF_8).startsWith("ERROR\n"), "error framing", input);
        } else {
            check(false, "parseFirst returned " + first, input);
        }
        LineCodec.Verb verb = LineCodec.parseVerb(line);
        if (verb != null) {
            check(VERB.matcher(verb.name()).matches(), "verb name " + verb.name(), input);
            check(line.equals(verb.name()) || line.equals(verb.name() + " " + verb.args()), "verb split", input);
        }
    }

    private static void check(boolean ok, String what, byte[] input) {
        if (!ok) throw new AssertionError(what + " for input " + Arrays.toString(input));
    }
}
