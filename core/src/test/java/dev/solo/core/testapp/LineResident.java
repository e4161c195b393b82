package dev.solo.core.testapp;

import dev.solo.core.ClaimResult;
import dev.solo.core.LineServer;
import dev.solo.core.PortPolicy;
import dev.solo.core.Response;
import dev.solo.core.SingleInstance;
import dev.solo.core.Token;
import dev.solo.core.Verb;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A line-protocol resident for the child-process tests: claims by a port policy and, when it wins,
 * serves a few verbs until its stdin closes (the clean stop) or it is killed.
 *
 * <pre>
 * LineResident (--port N | --range A B) [--service NAME] [--stdout-b64 BASE64] [--wait-go]
 *              [--start-wait SECONDS] [--probe-timeout SECONDS]
 * </pre>
 *
 * <p>Stdout carries one machine-readable result line:
 *
 * <pre>
 * CLAIMED &lt;port&gt;                     serving from now on; exit 0 when stdin closes
 * RUNNING &lt;port&gt; &lt;pid&gt;               exit 0
 * STARTING &lt;port&gt; &lt;pid&gt;              exit 1
 * HUNG &lt;port&gt; &lt;pid&gt;                  exit 1
 * OTHER_USER &lt;port&gt; &lt;pid&gt; &lt;user&gt;     exit 1
 * FOREIGN &lt;port&gt; &lt;description&gt;        exit 1
 * ERROR &lt;exception&gt;                    exit 3 (stack trace on stderr); bad usage exits 2
 * </pre>
 *
 * With {@code --wait-go} it first prints {@code READY} and claims only after reading the line {@code
 * go}, so a test can release many claimers at once. While serving, every handler prints {@code
 * HANDLED <VERB>} when it starts, so a test sees which requests caused an action.
 *
 * <p>Verbs: {@code STDOUT} (exclusive) answers the text of {@code --stdout-b64} (base64 of UTF-8, so
 * any text survives the command line); {@code CLIPBOARD} (exclusive) answers an empty success; {@code
 * SLOW} (exclusive) blocks until {@code RELEASE} (concurrent) or five minutes pass; {@code WHO}
 * (concurrent, not printed) answers the name of the thread that ran it, which tells the same-user
 * socket ({@code -local-}) from TCP ({@code -conn-}).
 */
public final class LineResident {
    public static final String SERVICE = "solo-line-fixture";

    private final Semaphore release = new Semaphore(0);
    private final PrintStream out;
    private final String stdoutText;

    private LineResident(PrintStream out, String stdoutText) {
        this.out = out;
        this.stdoutText = stdoutText;
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) throws Exception {
        PortPolicy policy = null;
        String service = SERVICE;
        String text = "";
        boolean waitGo = false;
        Duration startWait = null;
        Duration probeTimeout = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--port" -> policy = PortPolicy.fixed(Integer.parseInt(args[++i]));
                    case "--range" ->
                        policy = PortPolicy.range(Integer.parseInt(args[++i]), Integer.parseInt(args[++i]));
                    case "--service" -> service = args[++i];
                    case "--stdout-b64" ->
                        text = new String(Base64.getDecoder().decode(args[++i]), StandardCharsets.UTF_8);
                    case "--wait-go" -> waitGo = true;
                    case "--start-wait" -> startWait = Duration.ofSeconds(Long.parseLong(args[++i]));
                    case "--probe-timeout" -> probeTimeout = Duration.ofSeconds(Long.parseLong(args[++i]));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (policy == null) throw new IllegalArgumentException("--port or --range is required");
        } catch (RuntimeException e) {
            System.err.println("Usage: LineResident (--port N | --range A B) [--service NAME] [--stdout-b64 B64]"
                    + " [--wait-go] [--start-wait SECONDS]"
                    + " [--probe-timeout SECONDS]: " + e);
            return 2;
        }
        SingleInstance.Builder builder =
                SingleInstance.builder(service).version("test").policy(policy);
        if (startWait != null) builder.startWait(startWait);
        if (probeTimeout != null) builder.probeTimeout(probeTimeout);
        SingleInstance app = builder.build();
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (waitGo) {
            warmUp();
            out.println("READY");
            out.flush();
            String line = stdin.readLine();
            if (!"go".equals(line)) {
                System.err.println("expected 'go' on stdin, got " + line);
                return 2;
            }
        }

        ClaimResult result;
        try {
            result = app.claim();
        } catch (RuntimeException e) {
            out.println("ERROR " + e);
            e.printStackTrace();
            return 3;
        }
        if (result instanceof ClaimResult.Claimed claimed) {
            return new LineResident(out, text).serve(app, claimed, stdin);
        }
        out.println(describe(result));
        return result instanceof ClaimResult.Running ? 0 : 1;
    }

    /** The result line for a claim that did not make us the resident. */
    static String describe(ClaimResult r) {
        if (r instanceof ClaimResult.Running x)
            return "RUNNING " + x.identity().port() + " " + x.identity().pid();
        if (r instanceof ClaimResult.Starting x)
            return "STARTING " + x.record().port() + " " + x.record().pid();
        if (r instanceof ClaimResult.Hung x)
            return "HUNG " + x.record().port() + " " + x.record().pid();
        if (r instanceof ClaimResult.OtherUser x) {
            return "OTHER_USER " + x.identity().port() + " " + x.identity().pid() + " "
                    + x.identity().user();
        }
        if (r instanceof ClaimResult.ForeignService x) return "FOREIGN " + x.port() + " " + x.description();
        return "UNEXPECTED " + r;
    }

    private int serve(SingleInstance app, ClaimResult.Claimed claimed, BufferedReader stdin)
            throws IOException, InterruptedException {
        LineServer server = LineServer.builder(app)
                .verb(Verb.exclusive("STDOUT", r -> handled("STDOUT", Response.success(stdoutText))))
                .verb(Verb.exclusive("CLIPBOARD", r -> handled("CLIPBOARD", Response.ok())))
                .verb(Verb.exclusive("SLOW", r -> {
                    handled("SLOW", null);
                    return release.tryAcquire(5, TimeUnit.MINUTES)
                            ? Response.success("slow done")
                            : Response.error("SLOW was not released within 5 minutes");
                }))
                .verb(Verb.concurrent("RELEASE", r -> {
                    release.release();
                    return handled("RELEASE", Response.ok());
                }))
                .verb(Verb.concurrent(
                        "WHO", r -> Response.success(Thread.currentThread().getName())))
                .start(claimed);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "fixture-shutdown-hook"));
        out.println("CLAIMED " + server.port());
        out.flush();
        Thread watcher = new Thread(
                () -> {
                    try {
                        while (stdin.readLine() != null) {
                            // only the end of stdin matters
                        }
                    } catch (IOException e) {
                        // stdin broke: the same as closed
                    }
                    server.close();
                },
                "fixture-stdin");
        watcher.setDaemon(true);
        watcher.start();
        server.awaitClose();
        return 0;
    }

    private Response handled(String verb, Response response) {
        synchronized (out) {
            out.println("HANDLED " + verb);
            out.flush();
        }
        return response;
    }

    /** Loads what a claim needs before READY, so that after "go" the claimers race on the bind itself. */
    private static void warmUp() {
        Token.nonce();
        for (String name : new String[] {
            "dev.solo.core.internal.Binder",
            "dev.solo.core.internal.Probe",
            "dev.solo.core.internal.PortScan",
            "dev.solo.core.internal.LineCodec",
            "dev.solo.core.internal.Json",
            "dev.solo.core.ClaimResult$Claimed",
            "dev.solo.core.ClaimResult$Running",
            "dev.solo.core.Registry",
            "dev.solo.core.LineServer"
        }) {
            try {
                Class.forName(name, true, LineResident.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("the core classes are not on the class path: " + name, e);
            }
        }
    }
}
