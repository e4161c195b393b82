package dev.solo.bench.start;

import dev.solo.core.ClaimResult;
import dev.solo.core.LineServer;
import dev.solo.core.PortPolicy;
import dev.solo.core.Registry;
import dev.solo.core.Response;
import dev.solo.core.SingleInstance;
import dev.solo.core.Verb;
import java.nio.file.Path;

/**
 * The resident for {@link OneShot}: service {@code solo-start} on a fixed port with an {@code ECHO}
 * verb, its registry in HOME, until stdin closes. Prints {@code READY <port> <socket>}.
 *
 * <pre>
 * StartResident HOME PORT
 * </pre>
 */
public final class StartResident {
    private StartResident() {}

    public static void main(String[] args) throws Exception {
        SingleInstance app = SingleInstance.builder("solo-start")
                .registry(Registry.at(Path.of(args[0])))
                .policy(PortPolicy.fixed(Integer.parseInt(args[1])))
                .build();
        ClaimResult claim = app.claim();
        if (!(claim instanceof ClaimResult.Claimed claimed)) {
            System.err.println(claim.message());
            System.exit(1);
            return;
        }
        try (LineServer server = LineServer.builder(app)
                .verb(Verb.concurrent("ECHO", r -> Response.success(r.args())))
                .start(claimed)) {
            System.out.println("READY " + server.port() + " " + server.localSocket());
            System.out.flush();
            while (System.in.read() >= 0) {
                // until stdin closes
            }
        }
    }
}
