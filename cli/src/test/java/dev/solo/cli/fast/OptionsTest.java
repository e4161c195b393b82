package dev.solo.cli.fast;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OptionsTest {
    private static final String[] FLAGS = {"--no-browser"};
    private static final String[] VALUED = {"--port", "--file"};

    @Test
    void readsFlagsAndBothValueForms() {
        Options o = Options.read(new String[] {"monitor", "--port", "9000", "--no-browser"}, 1, FLAGS, VALUED);
        assertThat(o).isNotNull();
        assertThat(o.has("--no-browser")).isTrue();
        assertThat(o.value("--port")).isEqualTo("9000");
        assertThat(o.value("--file")).isNull();
        Options eq = Options.read(new String[] {"x", "--file=-"}, 1, FLAGS, VALUED);
        assertThat(eq.value("--file")).isEqualTo("-");
        assertThat(eq.has("--no-browser")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "--help", "-h", "--no-browser --no-browser", "--port 1 --port 2", "--port", "--port --no-browser",
                "--port=", "--no-browser=true", "--", "status", "--file -x", "--Port 1"
            })
    void leavesEverythingElseToPicocli(String line) {
        String[] words = ("cmd " + line).split(" ");
        assertThat(Options.read(words, 1, FLAGS, VALUED)).as(line).isNull();
    }

    @Test
    void plainNumbersOnly() {
        assertThat(Options.plainNumber("8765")).isEqualTo(8765);
        assertThat(Options.plainNumber("1")).isEqualTo(1);
        for (String s : new String[] {"", "0", "010", "+5", "-5", "0x10", "1e3", "12a", "1234567890", " 5"}) {
            assertThat(Options.plainNumber(s)).as(s).isEqualTo(-1);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "--version",
                "help",
                "monitor --help",
                "monitor --port 010",
                "monitor --port 70000",
                "monitor --name x",
                "monitor --foreground",
                "monitor stop",
                "monitor status --help",
                "monitor status --port +5",
                "list --timeout 0",
                "list --timeout 1s",
                "ocr",
                "ocr --background",
                "ocr --stdout",
                "ocr --json",
                "ocr --file a --run-once",
                "ocr --run-once --json",
                "ocr --file a --stdout",
                "ocr --file a --file b",
                "ocr config",
                "ocr --run-once --default-mode lasso"
            })
    void unrecognisedFormsPrintNothingAndAreNotHandled(String line) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = line.isEmpty() ? new String[0] : line.split(" ");
        int code = FastPath.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as(line).isEqualTo(FastPath.NOT_HANDLED);
        assertThat(out.toString() + err).isEmpty();
    }
}
