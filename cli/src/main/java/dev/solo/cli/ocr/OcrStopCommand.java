package dev.solo.cli.ocr;

import dev.solo.cli.Version;
import dev.solo.cli.monitor.StatusCommand;
import dev.solo.core.ClaimResult;
import dev.solo.core.Outcome;
import dev.solo.core.Registry;
import dev.solo.core.ServiceIdentity;
import dev.solo.core.SingleInstance;
import dev.solo.ocr.config.OcrConfig;
import dev.solo.ocr.resident.OcrResident;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code solo ocr stop}: asks this user's OCR resident to stop with {@code STOP}, through the same
 * authenticated path as {@code --run-once} (its same-user socket, else TCP after the resident proved it
 * knows this user's token), waits up to 20 s for its process to end, then sends SIGTERM to that proven pid
 * and waits 10 s more; returns once the process is gone and its port is free. Only a resident that proved
 * itself gets the request or the signal: another user's resident is never found, and one of ours that
 * does not answer (stopped, hung) is named and left alone, as {@code solo monitor stop} does.
 *
 * <p>Exit 0 stopped, or none was running (as LSB and systemd's {@code stop} of a service that is not running,
 * and {@code solo monitor stop}); 1 it could not be stopped (said why, with what to do).
 */
@Command(
        name = "stop",
        mixinStandardHelpOptions = true,
        versionProvider = Version.Provider.class,
        description = "Stop your OCR resident and wait until it has ended and its port is free.",
        footer = {"", "Exit codes: 0 stopped or none was running, 1 could not stop it (the message says why)."})
final class OcrStopCommand implements Callable<Integer> {
    /** The resident closes in about 3 s, plus up to 10 s to hand its copied text to a clipboard holder. */
    private static final Duration ASKED_WAIT = Duration.ofSeconds(20);

    private static final Duration TERM_WAIT = Duration.ofSeconds(10);
    private static final Duration PORT_WAIT = Duration.ofSeconds(3);

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        OcrConfig config = OcrClient.config(null, false, err);
        if (config == null) return OcrCommand.FAILED;
        int code = stop(OcrResident.app(config, Registry.forCurrentUser(), Version.get(), null), config, out, err);
        out.flush();
        err.flush();
        return code;
    }

    static int stop(SingleInstance app, OcrConfig config, PrintWriter out, PrintWriter err)
            throws InterruptedException {
        Optional<ClaimResult> holder = app.inspect(); // a stopped or hung resident is named within about 2 s
        if (holder.isEmpty()) {
            // as an init system's stop of a service that is not running, and solo monitor stop: done, exit 0
            out.println("No solo ocr resident is running for this user (" + Lifecycle.ports(config.ports())
                    + "); nothing to stop.");
            return 0;
        }
        if (!(holder.get() instanceof ClaimResult.Running r)) {
            err.println("Error: " + Lifecycle.describe(holder.get()));
            return OcrCommand.FAILED;
        }
        ServiceIdentity id = r.identity();
        // Taken before the request: the handle remembers the process's start, so a reused pid is never signalled.
        Optional<ProcessHandle> process = ProcessHandle.of(id.pid());
        Outcome o = app.tryRunOnce("STOP", "", null);
        // SUCCESS, or "shutting down" (the close answered first), or the connection dropped as it closed:
        // each means the resident is on its way out. NoResident: it ended between the two steps.
        boolean asked = !(o instanceof Outcome.ResidentError e) || e.shuttingDown();
        if (!asked) err.println("The resident refused to stop (" + o.message() + ").");
        if (!asked || !Lifecycle.gone(process, id.port(), ASKED_WAIT)) {
            if (process.isPresent() && process.get().isAlive()) {
                err.println("Sending SIGTERM to solo ocr (pid " + id.pid() + ").");
                process.get().destroy();
            }
            if (!Lifecycle.gone(process, id.port(), TERM_WAIT)) {
                err.println("Error: solo ocr (pid " + id.pid() + ") still runs after SIGTERM. Stop it with 'kill -9 "
                        + id.pid() + "'.");
                return OcrCommand.FAILED;
            }
        }
        if (!StatusCommand.portFreeWithin(id.port(), PORT_WAIT)) {
            err.println("Error: solo ocr (pid " + id.pid() + ") stopped, but "
                    + app.inspect().map(Lifecycle::describe).orElse("port " + id.port() + " is still held") + "");
            return OcrCommand.FAILED;
        }
        out.println("solo ocr stopped (port " + id.port() + ", pid " + id.pid() + ").");
        return 0;
    }
}
