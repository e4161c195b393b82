package dev.solo.cli.ocr;

import dev.solo.cli.Version;
import dev.solo.cli.monitor.StateDirs;
import dev.solo.core.Registry;
import dev.solo.core.ServiceIdentity;
import dev.solo.core.SingleInstance;
import dev.solo.ocr.config.OcrConfig;
import dev.solo.ocr.engine.TextCleanup;
import dev.solo.ocr.resident.OcrResident;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code solo ocr --background}: starts the resident as a detached process ({@code setsid} where it
 * exists) that logs to {@code <solo home>/logs/solo-ocr.log}, and returns once it answers, or as
 * soon as the child exits, or after a minute.
 */
final class Background {
    private static final long WAIT_MILLIS = 60_000;
    private static final int SAID_LINES = 10;

    private Background() {}

    static int start(CommandSpec spec, OcrConfig config, Registry registry, OcrCommand options)
            throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path log = registry.logDir().resolve("solo-ocr.log");
        SingleInstance app = OcrResident.app(config, registry, Version.get(), log);
        Optional<ServiceIdentity> running = app.find();
        if (running.isPresent()) return OcrCommand.alreadyRunning(out, running.get());

        List<String> cmd = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) cmd.add("/usr/bin/setsid");
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        for (String p : List.of("solo.launcher", "solo.home", "java.awt.headless")) {
            if (System.getProperty(p) != null) cmd.add("-D" + p + "=" + System.getProperty(p));
        }
        // No hsperfdata sampling (20 wake-ups a second, all day, for jps alone), and a JVM crash report in
        // the log directory rather than in whatever directory the resident was started from.
        cmd.add("-XX:-UsePerfData");
        // Tesseract is native code: without this, JDK 24+ writes four WARNING lines into the log at every start
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-XX:ErrorFile=" + registry.logDir().resolve("hs_err_pid%p.log"));
        cmd.addAll(List.of(
                "-cp", System.getProperty("java.class.path"), "dev.solo.cli.Main", "ocr", "--log", log.toString()));
        if (options.defaultMode != null) cmd.addAll(List.of("--default-mode", options.defaultMode));
        if (options.apiKeyPath != null) cmd.addAll(List.of("--api-key-path", options.apiKeyPath.toString()));
        long logStart = Files.exists(log) ? Files.size(log) : 0;
        StateDirs.ownerOnlyFile(log); // before the child appends to it (ProcessBuilder would make it 0644)
        Process child = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true)
                .start();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (System.nanoTime() < deadline) {
            Optional<ServiceIdentity> up = app.find();
            if (up.isPresent() && up.get().pid() == child.pid()) {
                out.println("solo ocr running in the background on port "
                        + up.get().port() + " (pid " + child.pid() + "); log: " + log);
                out.flush();
                return 0;
            }
            if (up.isPresent()) return OcrCommand.alreadyRunning(out, up.get());
            if (child.waitFor(100, TimeUnit.MILLISECONDS)) {
                // What it said is the error the user needs (a foreground start prints it): repeat it.
                for (String line : said(log, logStart)) err.println(TextCleanup.withoutControls(line));
                err.println("Error: the background resident exited with code " + child.exitValue()
                        + " before it answered; its log: " + log + ".");
                return OcrCommand.FAILED;
            }
        }
        err.println("Error: the background resident (pid " + child.pid() + ") did not answer within "
                + WAIT_MILLIS / 1000 + " s; see " + log + ", or stop it with 'kill " + child.pid() + "'.");
        return OcrCommand.FAILED;
    }

    /** The last lines (at most {@value #SAID_LINES}) written to {@code log} from byte {@code from} on. */
    private static List<String> said(Path log, long from) {
        try (var in = Files.newInputStream(log)) {
            in.skipNBytes(from);
            List<String> lines = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8)
                    .lines()
                    .filter(l -> !l.isBlank())
                    .toList();
            return lines.subList(Math.max(0, lines.size() - SAID_LINES), lines.size());
        } catch (IOException e) {
            return List.of();
        }
    }
}
