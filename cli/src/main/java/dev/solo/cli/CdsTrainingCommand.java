package dev.solo.cli;

import dev.solo.cli.fast.FastPath;
import dev.solo.cli.fast.LeanArchive;
import dev.solo.cli.ocr.OcrClient;
import dev.solo.core.ClaimResult;
import dev.solo.core.LineServer;
import dev.solo.core.Outcome;
import dev.solo.core.PortPolicy;
import dev.solo.core.Registry;
import dev.solo.core.Response;
import dev.solo.core.SingleInstance;
import dev.solo.core.Verb;
import dev.solo.ocr.config.OcrConfig;
import dev.solo.ocr.config.Setting;
import dev.solo.ocr.resident.OcrResident;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Hidden: the training run for the launcher's class-data-sharing archive of the general JVM ({@code
 * solo.jsa}; the lean commands' own archive comes from {@link LeanTraining}). It runs the client commands
 * the archive is for, through the code they run for a user ({@link FastPath}'s recognition, then {@link
 * LeanTraining#monitor}'s {@code solo monitor} reuse, {@code solo monitor status} and {@code solo list},
 * then {@code solo ocr --file}), and
 * the full command line's model and usage help, against throw-away residents in a temporary directory:
 * a line-protocol resident of service {@code solo-ocr} whose {@code IMAGE} answers at once, and a
 * {@link TrainingMonitor}. It touches nothing of the user's (it reads Claude Code's settings files, as
 * the reuse path does). Exit 0 when every client got its answer.
 */
@Command(name = "cds-training", hidden = true)
final class CdsTrainingCommand implements Callable<Integer> {
    private static final String[][] UNRECOGNISED = {
        {"monitor", "--cds"}, {"monitor", "status", "--cds"}, {"list", "--cds"}, {"ocr", "--cds"}
    };

    @Override
    public Integer call() throws IOException, InterruptedException {
        StringWriter text = new StringWriter();
        PrintWriter sink = new PrintWriter(text);
        LeanArchive.dropIfUnmapped(); // a lean JVM without its own archive maps this one
        new CommandLine(new Main()).usage(sink);
        for (String[] args : UNRECOGNISED) FastPath.run(args, sink, sink);
        Path home = Files.createTempDirectory("solo-cds-");
        try {
            Registry registry = Registry.at(home);
            boolean ok = LeanTraining.monitor(registry, sink) && ocr(registry, home, sink);
            return ok ? 0 : 1;
        } finally {
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** {@code solo ocr --file} against a resident of service solo-ocr, and a plain delegation. */
    private static boolean ocr(Registry registry, Path home, PrintWriter sink)
            throws IOException, InterruptedException {
        SingleInstance app = SingleInstance.builder(OcrResident.SERVICE)
                .registry(registry)
                .policy(PortPolicy.ephemeral())
                .build();
        ClaimResult claim = app.claim();
        if (!(claim instanceof ClaimResult.Claimed claimed)) return false;
        try (LineServer server = LineServer.builder(app)
                .verb(Verb.concurrent("IMAGE", r -> Response.success("training"))
                        .withBody(1024))
                .verb(Verb.concurrent("ECHO", r -> Response.success(r.args())))
                .start(claimed)) {
            Outcome echo = app.tryRunOnce("ECHO", "training", null);
            String port = Integer.toString(server.port());
            OcrConfig config = OcrConfig.load(
                    Map.of(
                            Setting.SINGLEINSTANCE_PORT_START.name(),
                            port,
                            Setting.SINGLEINSTANCE_PORT_END.name(),
                            port),
                    null,
                    Map.of());
            Path image = Files.write(home.resolve("training.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
            int file = OcrClient.file(image.toString(), false, config, registry, sink, sink);
            // solo list while a resident runs: its probe threads and checks belong in the archive too
            int list = ListCommand.report(registry, ListCommand.DEFAULT_TIMEOUT_MILLIS, sink, sink);
            return echo instanceof Outcome.Delegated && file == 0 && list == 0;
        }
    }
}
