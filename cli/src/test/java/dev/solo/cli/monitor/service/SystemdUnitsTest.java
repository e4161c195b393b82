package dev.solo.cli.monitor.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The socket-activated units: what they say, and that systemd's own checker accepts them. */
class SystemdUnitsTest {
    @TempDir
    Path dir;

    @Test
    void theSocketHoldsTheLoopbackPortAndTheServiceTakesItAsStdin() {
        assertThat(SystemdUnits.socket(27001))
                .contains("ListenStream=127.0.0.1:27001\n")
                .contains("Accept=no\n")
                .contains("WantedBy=sockets.target");
        String service = SystemdUnits.service(
                27001,
                List.of(
                        "/opt/my java/bin/java",
                        "-cp",
                        "/x/solo.jar",
                        "dev.solo.cli.Main",
                        "monitor",
                        "--foreground",
                        "--no-browser",
                        "--port",
                        "27001"),
                Map.of("SOLO_HOME", dir.toAbsolutePath().toString(), "MALLOC_ARENA_MAX", "2"),
                dir.resolve("m.log"));
        assertThat(service)
                .contains("ExecStart=\"/opt/my java/bin/java\" -cp /x/solo.jar dev.solo.cli.Main monitor --foreground"
                        + " --no-browser --port 27001\n")
                .contains("StandardInput=socket\n")
                .contains("Restart=on-failure\n")
                .contains("Requires=solo-monitor-27001.socket\n")
                .contains("Environment=MALLOC_ARENA_MAX=2\nEnvironment=SOLO_HOME=" + dir.toAbsolutePath() + "\n");
    }

    @Test
    void aLineBreakInAPathIsRefusedItWouldStartADirectiveOfItsOwn() {
        Path home = Path.of("/home/a/solo\nExecStartPre=/bin/evil");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ServiceSpec(
                        27001,
                        List.of("/usr/bin/java", "-Dsolo.home=" + home),
                        Map.of(),
                        Path.of("/home/a/solo"),
                        Path.of("/home/a/solo/logs/m.log")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the monitor's command line holds a line break")
                .hasMessageContaining("solo\\nExecStartPre")
                .hasMessageContaining("Move solo (or SOLO_HOME) to a path without one");
    }

    @Test
    void percentAndDollarMeanThemselves() {
        assertThat(SystemdUnits.quote("/home/a%b/$x")).isEqualTo("/home/a%%b/$$x");
        assertThat(SystemdUnits.quote("say \"hi\"")).isEqualTo("\"say \\\"hi\\\"\"");
    }

    @Test
    void systemdAnalyzeVerifiesTheUnits() throws Exception {
        Optional<String> analyze = onPath("systemd-analyze");
        Assumptions.assumeTrue(analyze.isPresent(), "systemd-analyze is not installed: the units are not verified");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Files.writeString(dir.resolve("solo-monitor-27001.socket"), SystemdUnits.socket(27001));
        Files.writeString(
                dir.resolve("solo-monitor-27001.service"),
                SystemdUnits.service(
                        27001,
                        List.of(java.toString(), "-version"),
                        Map.of("SOLO_HOME", dir.resolve("home").toString()),
                        dir.resolve("m.log")));
        Path out = dir.resolve("verify.out");
        Process p = new ProcessBuilder(
                        analyze.get(),
                        "verify",
                        dir.resolve("solo-monitor-27001.socket").toString(),
                        dir.resolve("solo-monitor-27001.service").toString())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String said = Files.readString(out);
        assertThat(said).doesNotContain("solo-monitor-27001");
        assertThat(p.exitValue()).as(said).isZero();
    }

    static Optional<String> onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(d.isEmpty() ? "." : d, program);
            if (Files.isExecutable(p)) return Optional.of(p.toString());
        }
        return Optional.empty();
    }
}
