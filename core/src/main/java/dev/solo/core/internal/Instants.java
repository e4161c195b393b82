package dev.solo.core.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * Reads the instants solo writes ({@link Instant#toString()}: {@code 2026-11-20T09:00:00.123456Z}).
 * {@link Instant#parse} builds the whole {@code DateTimeFormatter} machinery on first use, a few
 * milliseconds of every short-lived client's start; this reads that one format directly and hands
 * anything else to {@link Instant#parse}.
 */
public final class Instants {
    private Instants() {}

    /**
     * @throws DateTimeParseException when {@code text} is not an ISO-8601 instant
     */
    public static Instant parse(String text) {
        // yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z
        int n = text.length();
        if (n >= 20
                && n <= 30
                && text.charAt(4) == '-'
                && text.charAt(7) == '-'
                && text.charAt(10) == 'T'
                && text.charAt(13) == ':'
                && text.charAt(16) == ':'
                && text.charAt(n - 1) == 'Z') {
            int year = digits(text, 0, 4);
            int month = digits(text, 5, 7);
            int day = digits(text, 8, 10);
            int hour = digits(text, 11, 13);
            int minute = digits(text, 14, 16);
            int second = digits(text, 17, 19);
            int nanos = 0;
            boolean ok = year >= 0
                    && month >= 1
                    && month <= 12
                    && day >= 1
                    && hour >= 0
                    && hour <= 23
                    && minute >= 0
                    && minute <= 59
                    && second >= 0
                    && second <= 59;
            if (ok && n > 20) {
                int fraction = n - 21; // between '.' and 'Z'
                ok = text.charAt(19) == '.' && fraction >= 1 && fraction <= 9;
                if (ok) {
                    nanos = digits(text, 20, n - 1);
                    for (int i = fraction; i < 9; i++) nanos *= 10;
                    ok = nanos >= 0;
                }
            } else if (ok) {
                ok = n == 20;
            }
            if (ok && day <= LocalDate.of(year, month, 1).lengthOfMonth()) {
                long days = LocalDate.of(year, month, day).toEpochDay();
                return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
            }
        }
        return Instant.parse(text);
    }

    /** The decimal number in {@code text[from, to)}, or -1 when a character is not a digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') return -1;
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
