package dev.solo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.core.ClaimResult;
import dev.solo.core.InstanceRecord;
import dev.solo.core.LineServer;
import dev.solo.core.PortPolicy;
import dev.solo.core.Protocol;
import dev.solo.core.Registry;
import dev.solo.core.Response;
import dev.solo.core.SingleInstance;
import dev.solo.core.Verb;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code solo list}, {@code --version} and {@code --help} through picocli, as a user runs them. */
class ListCommandTest {
    @TempDir
    Path home;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void useTempHome() {
        System.setProperty("solo.home", home.toString());
    }

    @AfterEach
    void restore() {
        System.clearProperty("solo.home");
    }

    private int run(String... args) {
        CommandLine cl = FullCommandLine.create();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void versionNamesTheProductAndJava() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("solo ").contains("Java " + System.getProperty("java.version"));
    }

    @Test
    void helpListsTheCommands() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Usage: solo").contains("list").doesNotContain("cds-training");
    }

    @Test
    void listWithNothingRunningSaysSoAndWhereItLooked() {
        assertThat(run("list")).isZero();
        assertThat(out.toString())
                .contains("No solo instance is running")
                .contains(home.resolve("instances").toString());
    }

    @Test
    void listShowsALiveResidentAndRemovesAStaleRecord() throws Exception {
        Registry registry = Registry.at(home);
        SingleInstance app = SingleInstance.builder("solo-test")
                .registry(registry)
                .name("alpha")
                .policy(PortPolicy.ephemeral())
                .build();
        ClaimResult.Claimed claimed = (ClaimResult.Claimed) app.claim();
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        Process dead = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"), "-version")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        dead.waitFor();
        InstanceRecord stale = new InstanceRecord(
                "solo-ghost", "", deadPort, dead.pid(), Instant.now(), "0123456789ab", "me", "1", Protocol.LINE, null);
        registry.register(stale);

        try (LineServer server = LineServer.builder(app)
                .verb(Verb.concurrent("ECHO", r -> Response.success(r.args())))
                .start(claimed)) {
            assertThat(run("list")).isZero();
            String text = out.toString();
            assertThat(text).contains("SERVICE").contains("UPTIME").contains("STATE");
            assertThat(text)
                    .containsPattern("solo-test\\s+alpha\\s+" + server.port() + "\\s+"
                            + ProcessHandle.current().pid() + "\\s+\\d+s\\s+idle");
            assertThat(text).doesNotContain("solo-ghost");
            assertThat(registry.records()).extracting(InstanceRecord::service).containsExactly("solo-test");
        }
    }

    @Test
    void badTimeoutIsAUsageErrorThatSaysTheValue() {
        assertThat(run("list", "--timeout", "0")).isEqualTo(Main.USAGE);
        assertThat(err.toString()).contains("--timeout must be > 0 ms, got 0");
    }

    @Test
    void uptimeReadsLikeAClock() {
        assertThat(ListCommand.uptime(java.time.Duration.ofSeconds(59))).isEqualTo("59s");
        assertThat(ListCommand.uptime(java.time.Duration.ofSeconds(61))).isEqualTo("1m1s");
        assertThat(ListCommand.uptime(java.time.Duration.ofSeconds(3 * 3600 + 120)))
                .isEqualTo("3h2m");
        assertThat(ListCommand.uptime(java.time.Duration.ofDays(2).plusHours(5)))
                .isEqualTo("2d5h");
    }
}
