package dev.solo.cli;

import dev.solo.core.ClaimResult;
import dev.solo.core.LineServer;
import dev.solo.core.Outcome;
import dev.solo.core.PortPolicy;
import dev.solo.core.Protocol;
import dev.solo.core.Registry;
import dev.solo.core.Response;
import dev.solo.core.SingleInstance;
import dev.solo.core.Verb;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Hidden: the training run for the launcher's class-data-sharing archive. It walks the paths a client
 * takes (parse options, usage help, claim, probe, HMAC proof, delegation, registry) against a
 * throw-away resident in a temporary directory, so the archive holds those classes; it touches
 * nothing of the user's.
 */
@Command(name = "cds-training", hidden = true)
final class CdsTrainingCommand implements Callable<Integer> {

    @Override
    public Integer call() throws IOException {
        new CommandLine(new Main()).usage(new PrintWriter(new StringWriter()));
        Path home = Files.createTempDirectory("solo-cds-");
        try {
            Registry registry = Registry.at(home);
            SingleInstance app = SingleInstance.builder("solo-cds")
                    .registry(registry)
                    .policy(PortPolicy.ephemeral())
                    .build();
            ClaimResult claim = app.claim();
            if (claim instanceof ClaimResult.Claimed claimed) {
                try (LineServer server = LineServer.builder(app)
                        .verb(Verb.concurrent("ECHO", r -> Response.success(r.args())))
                        .start(claimed)) {
                    Outcome o = app.tryRunOnce("ECHO", "training", null);
                    registry.live();
                    SingleInstance http = SingleInstance.builder("solo-cds")
                            .registry(registry)
                            .protocol(Protocol.HTTP)
                            .policy(PortPolicy.fixed(server.port()))
                            .build();
                    http.find();
                    return o instanceof Outcome.Delegated ? 0 : 1;
                }
            }
            return 1;
        } finally {
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
