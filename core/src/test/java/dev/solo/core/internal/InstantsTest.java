package dev.solo.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InstantsTest {

    @Test
    void readsWhatInstantToStringWritesExactlyAsInstantParseDoes() {
        Random random = new Random(20261120);
        for (int i = 0; i < 100_000; i++) {
            long seconds = random.nextLong() % 10_000_000_000L; // ~1653..2286
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            String text = Instant.ofEpochSecond(Math.abs(seconds), nanos).toString();
            assertThat(Instants.parse(text)).as(text).isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void leapDaysAndTheEndsOfTheDay() {
        for (String text :
                new String[] {"2024-02-29T23:59:59.999999999Z", "1970-01-01T00:00:00Z", "2000-12-31T00:00:00.5Z"}) {
            assertThat(Instants.parse(text)).isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void everythingElseBehavesExactlyAsInstantParse() {
        for (String odd : new String[] {
            "2023-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-11-20T24:00:00Z",
            "2026-11-20T09:00:00.Z",
            "2026-11-20 09:00:00Z",
            "2026-11-20T09:00:00+01:00",
            "+12026-11-20T09:00:00Z",
            "yesterday",
            ""
        }) {
            Object expected;
            try {
                expected = Instant.parse(odd);
            } catch (DateTimeParseException e) {
                expected = DateTimeParseException.class;
            }
            if (expected instanceof Instant instant) {
                assertThat(Instants.parse(odd)).as(odd).isEqualTo(instant);
            } else {
                assertThatThrownBy(() -> Instants.parse(odd)).as(odd).isInstanceOf(DateTimeParseException.class);
            }
        }
    }
}
