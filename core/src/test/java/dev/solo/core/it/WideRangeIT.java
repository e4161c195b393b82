package dev.solo.core.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.solo.core.LineServer;
import dev.solo.core.PortPolicy;
import dev.solo.core.Registry;
import dev.solo.core.Response;
import dev.solo.core.SingleInstance;
import dev.solo.core.Verb;
import dev.solo.core.internal.Platform;
import dev.solo.core.internal.PortScan;
import dev.solo.core.testapp.Client;
import dev.solo.core.testapp.LineResident;
import dev.solo.testing.Child;
import dev.solo.testing.Children;
import dev.solo.testing.Ports;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 defect 5: a client that must scan a range of thousands of ports, in a process allowed 1024
 * open files ({@code ulimit -n 1024}), still finds the resident in the range, because
 * the scan holds at most {@link PortScan#BATCH} sockets at once.
 *
 * <p>The resident's port comes from {@link Ports}; the test holds every other port of the range it can
 * with a bound, non-listening socket (a connect to it is refused), so the scan touches no other
 * server. A port another program holds meanwhile is scanned as any foreign port is.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WideRangeIT {
    private static final int WIDTH = 2000;

    @RegisterExtension
    final Children children = new Children();

    @TempDir
    Path home;

    @Test
    void aScanOfTwoThousandPortsUnderUlimit1024FindsTheResident() throws Exception {
        assumeTrue(Platform.isLinux() || Platform.isMac(), "ulimit is a POSIX shell's");
        // The scan connects to every port of the range before it asks any (PortScan), so where the
        // resident sits in it does not matter: at the start, the one port Ports vouches for.
        int start = Ports.free();
        int last = start + WIDTH - 1;
        List<Socket> held = new ArrayList<>();
        try {
            for (int port = start + 1; port <= last; port++) {
                Socket s = new Socket();
                s.setReuseAddress(true); // the port may have connections in TIME_WAIT
                try {
                    s.bind(new InetSocketAddress(Platform.LOOPBACK_V4, port));
                    held.add(s);
                } catch (java.net.BindException takenSinceTheCheck) {
                    s.close(); // someone else's now: the scan refuses or asks it, as any foreign port
                }
            }
            SingleInstance app = SingleInstance.builder(LineResident.SERVICE)
                    .policy(PortPolicy.fixed(start))
                    .registry(Registry.at(home))
                    .build();
            try (LineServer server = LineServer.builder(app)
                    .verb(Verb.exclusive("STDOUT", r -> Response.success("found by the scan")))
                    .start((dev.solo.core.ClaimResult.Claimed) app.claim())) {
                for (var r : app.registry().records()) app.registry().remove(r); // no hint: only a scan finds it

                Child client = Prefixed.start(
                        children,
                        List.of("bash", "-c", "ulimit -n 1024 && exec \"$0\" \"$@\""),
                        Children.classPath(),
                        Client.class,
                        home,
                        "--range",
                        String.valueOf(start),
                        String.valueOf(last),
                        "STDOUT");

                String result = client.awaitLine(l -> true, Duration.ofSeconds(120), "a result line");
                assertThat(client.awaitExit(Duration.ofSeconds(60)))
                        .as(client.dump())
                        .isZero();
                assertThat(result).as(client.dump()).startsWith("DELEGATED ");
                assertThat(new String(
                                Base64.getDecoder().decode(result.substring("DELEGATED ".length())),
                                StandardCharsets.UTF_8))
                        .isEqualTo("found by the scan");
                assertThat(String.join("\n", client.stderr())).doesNotContain("Too many open files");
                assertThat(server.port()).isEqualTo(start);
            }
        } finally {
            for (Socket s : held) s.close();
        }
    }
}
