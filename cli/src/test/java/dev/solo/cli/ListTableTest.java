package dev.solo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code solo list}'s table, now built without {@code printf}, is what {@code printf} printed. */
class ListTableTest {
    @TempDir
    Path home;

    @Test
    void emptyRegistrySaysSo() {
        StringWriter out = new StringWriter();
        int code = ListCommand.report(
                dev.solo.core.Registry.at(home), 500, new PrintWriter(out, true), new PrintWriter(out, true));
        assertThat(code).isZero();
        assertThat(out.toString()).startsWith("No solo instance is running for this user (registry: ");
    }

    @Test
    void columnsMatchTheFormatTheyReplace() {
        String format = "%-14s %-12s %6s %8s %9s %s%n";
        String[][] rows = {
            {"SERVICE", "NAME", "PORT", "PID", "UPTIME", "STATE"},
            {"solo-monitor", "-", "8765", "12345", "3m5s", "idle"},
            {"a-very-long-service-name", "a-name-longer-than-twelve", "65535", "1234567890", "400d23h", "not answering"
            },
            {"", "", "", "", "", ""}
        };
        for (String[] r : rows) {
            StringBuilder b = new StringBuilder();
            ListCommand.row(b, r[0], r[1], r[2], r[3], r[4], r[5]);
            assertThat(b.toString()).isEqualTo(String.format(Locale.ROOT, format, (Object[]) r));
        }
    }
}
