package dev.solo.cli.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.cli.FullCommandLine;
import dev.solo.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** Bad options of the subcommands that address one monitor: exit 2, one error line, nothing done. */
class MonitorUsageTest {
    @TempDir
    Path home;

    @BeforeEach
    void useTempHome() {
        System.setProperty("solo.home", home.toString());
    }

    @AfterEach
    void restore() {
        System.clearProperty("solo.home");
    }

    @ParameterizedTest
    @ValueSource(strings = {"stop", "status", "restart", "open", "logs", "import"})
    void aPortOutOfRangeIsAUsageErrorThatSaysTheValue(String subcommand) {
        StringWriter err = new StringWriter();
        int code = run(err, "monitor", subcommand, "--port", "70000");
        assertThat(code).isEqualTo(Main.USAGE);
        assertThat(err.toString()).isEqualTo("Error: --port must be 1..65535, got 70000." + System.lineSeparator());
        assertThat(home.resolve("instances")).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"stop", "status", "hooks"})
    void portAndNameTogetherAreAUsageError(String subcommand) {
        StringWriter err = new StringWriter();
        String[] args = subcommand.equals("hooks")
                ? new String[] {"monitor", "hooks", "status", "--port", "7000", "--name", "x"}
                : new String[] {"monitor", subcommand, "--port", "7000", "--name", "x"};
        assertThat(run(err, args)).isEqualTo(Main.USAGE);
        assertThat(err.toString()).contains("--name and --port cannot be used together.");
    }

    /** An empty name (a variable that was not set) once meant the default monitor on 8765. */
    @ParameterizedTest
    @ValueSource(strings = {"stop", "status", "logs", "open", "import"})
    void anEmptyNameIsAUsageErrorNotTheDefaultMonitor(String subcommand) {
        StringWriter err = new StringWriter();
        assertThat(run(err, "monitor", subcommand, "--name", "")).isEqualTo(Main.USAGE);
        assertThat(err.toString())
                .isEqualTo("Error: --name must match [a-z0-9][a-z0-9._-]{0,63}, got ''." + System.lineSeparator());
        assertThat(home.resolve("instances")).doesNotExist();
    }

    /** The next step named the default monitor ('solo monitor') for a monitor asked for by its port. */
    @ParameterizedTest
    @ValueSource(strings = {"open", "import"})
    void withNoMonitorTheNextStepStartsTheOneAskedFor(String subcommand) {
        int port = dev.solo.testing.Ports.free();
        StringWriter err = new StringWriter();
        assertThat(run(err, "monitor", subcommand, "--port", "" + port)).isIn(1, 3);
        assertThat(err.toString()).contains("Start it with 'solo monitor --port " + port + "'");
    }

    /** 127.0.0.2 is loopback, but the monitor listens on 127.0.0.1 and ::1: the URL it printed never connected. */
    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.2", "127.1.2.3"})
    void aLoopbackHostTheMonitorDoesNotListenOnIsAUsageError(String host) {
        StringWriter err = new StringWriter();
        assertThat(run(err, "monitor", "--port", "" + dev.solo.testing.Ports.free(), "--host", host, "--no-browser"))
                .isEqualTo(Main.USAGE);
        assertThat(err.toString())
                .isEqualTo("Error: --host '" + host + "' resolves to " + host + ", where the monitor does not listen"
                        + " (127.0.0.1 and ::1 only). Use localhost, or map the name to 127.0.0.1 in /etc/hosts."
                        + System.lineSeparator());
        assertThat(home.resolve("instances")).doesNotExist();
    }

    @org.junit.jupiter.api.Test
    void importSaysWhichDaysItTakes() {
        StringWriter err = new StringWriter();
        assertThat(run(err, "monitor", "import", "--days", "0")).isEqualTo(Main.USAGE);
        assertThat(err.toString()).isEqualTo("Error: --days must be 1..3650, got 0." + System.lineSeparator());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "monitor --help",
                "monitor -h",
                "monitor stop --help",
                "monitor status -h",
                "monitor restart --help",
                "monitor open --help",
                "monitor logs --help",
                "monitor list --help",
                "monitor token --help",
                "monitor hooks --help",
                "monitor hooks -h",
                "monitor import --help",
                "monitor service --help"
            })
    void everyMonitorCommandPrintsItsHelp(String line) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = FullCommandLine.create();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        assertThat(cl.execute(line.split(" "))).as(err.toString()).isZero();
        String command = line.replace(" --help", "").replace(" -h", "");
        assertThat(out.toString()).startsWith("Usage: solo " + command).contains("-h, --help");
        assertThat(err.toString()).isEmpty();
        assertThat(home.resolve("instances")).doesNotExist();
    }

    @org.junit.jupiter.api.Test
    void newPortIsOnlyForNamedMonitors() {
        StringWriter err = new StringWriter();
        assertThat(run(err, "monitor", "--port", "7000", "--new-port")).isEqualTo(Main.USAGE);
        assertThat(err.toString()).contains("--new-port is for named monitors (--name NAME)");
    }

    private static int run(StringWriter err, String... args) {
        CommandLine cl = FullCommandLine.create();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }
}
