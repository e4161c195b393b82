package dev.solo.core.internal;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.solo.core.ServiceIdentity;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Coverage-guided fuzzing of {@link Json#parse} (and of {@link ServiceIdentity#fromMap} on what it
 * reads): a peer's HELLO answer and a registry file are untrusted text.
 *
 * <p>Invariants: only {@link IllegalArgumentException} for bad input (never a stack overflow or
 * an index error); parse, write, parse gives the same value and write is then a fixpoint; an
 * identity read from an object survives its own JSON form.
 *
 * <p>Fuzzing and regression mode as in {@link LineCodecFuzzTest}; seeds in {@code JsonFuzzTestInputs}.
 */
class JsonFuzzTest {

    @FuzzTest(maxDuration = "15s")
    void parseWriteParse(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        Object value;
        try {
            value = Json.parse(text);
        } catch (IllegalArgumentException expected) {
            if (!String.valueOf(expected.getMessage()).startsWith("invalid JSON at offset ")) {
                throw new AssertionError("undocumented message: " + expected.getMessage(), expected);
            }
            return;
        }
        String written = Json.write(value);
        Object again;
        try {
            again = Json.parse(written);
        } catch (IllegalArgumentException e) {
            throw new AssertionError(
                    "write(parse(" + text + ")) = " + written + " does not parse: " + e.getMessage(), e);
        }
        if (!Objects.equals(value, again)) {
            throw new AssertionError("parse(write(v)) != v for " + text + ": wrote " + written);
        }
        if (!written.equals(Json.write(again))) {
            throw new AssertionError("write not stable for " + text + ": " + written + " vs " + Json.write(again));
        }
        if (written.indexOf('\n') >= 0 || written.indexOf('\r') >= 0) {
            throw new AssertionError("written JSON spans lines: " + written);
        }
        if (value instanceof Map<?, ?> map) identity(map, text);
    }

    @SuppressWarnings("unchecked")
    private static void identity(Map<?, ?> map, String text) {
        ServiceIdentity id;
        try {
            id = ServiceIdentity.fromMap((Map<String, Object>) map);
        } catch (IllegalArgumentException notAnIdentity) {
            return;
        }
        ServiceIdentity back = ServiceIdentity.fromJson(id.toJson(Instant.EPOCH));
        if (!back.equals(id)) throw new AssertionError("identity changed through JSON for " + text + ": " + back);
    }
}
