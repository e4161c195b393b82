package dev.solo.cli.ocr;

import dev.solo.cli.Version;
import dev.solo.core.ClaimResult;
import dev.solo.core.InstanceRecord;
import dev.solo.core.Outcome;
import dev.solo.core.PortPolicy;
import dev.solo.core.Registry;
import dev.solo.core.ServiceIdentity;
import dev.solo.core.SingleInstance;
import dev.solo.ocr.config.OcrConfig;
import dev.solo.ocr.engine.TextCleanup;
import dev.solo.ocr.resident.About;
import dev.solo.ocr.resident.OcrResident;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code solo ocr status}: whether this user's OCR resident runs, asked of the resident itself through the
 * same path as {@code --run-once} (its same-user socket, else TCP after its proof, with the token): first
 * who holds the port ({@link SingleInstance#inspect()}: a resident that is stopped or hung is named within
 * about 2 s), then the {@code STATUS} question to the resident that answered. Port,
 * pid, version and start from the identity it proved, engine, hotkey and display from its {@code STATUS}
 * answer ({@link About}), the log file from its registry record. Another user's resident is never found
 * (it cannot prove this user's token) and is never reported as this user's.
 *
 * <p>Exit 0 running, 3 not running, 1 something of this user's holds a port of the range but does not
 * answer (stopped, hung, starting), or a setting is bad; as {@code solo monitor status}.
 */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        versionProvider = Version.Provider.class,
        description = "Say whether your OCR resident runs: port, pid, since when, engine, hotkey and log file.",
        footer = {"", "Exit codes: 0 running, 3 not running, 1 held but not answering (named), or a bad setting."})
final class OcrStatusCommand implements Callable<Integer> {
    private static final DateTimeFormatter SINCE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        OcrConfig config = OcrClient.config(null, false, err);
        if (config == null) return OcrCommand.FAILED;
        Registry registry = Registry.forCurrentUser();
        int code = report(OcrResident.app(config, registry, Version.get(), null), config, registry, out);
        out.flush();
        return code;
    }

    static int report(SingleInstance app, OcrConfig config, Registry registry, PrintWriter out) {
        // Who holds the port first: one question that a stopped or hung resident gets about 2 s for, then
        // the STATUS question to a resident that has just answered.
        Optional<ClaimResult> holder = app.inspect();
        if (holder.isEmpty()) {
            out.println("solo ocr is not running on " + Lifecycle.ports(config.ports()) + "."
                    + squatter(config.ports().start(), registry));
            return Lifecycle.NOT_RUNNING;
        }
        if (!(holder.get() instanceof ClaimResult.Running r)) {
            out.println("solo ocr is not usable: " + Lifecycle.describe(holder.get()));
            return OcrCommand.FAILED;
        }
        Outcome o = app.tryRunOnce("STATUS", "", null);
        if (o instanceof Outcome.Delegated d) return running(d.resident(), About.parse(d.text()), registry, out);
        if (o instanceof Outcome.ResidentError e && e.shuttingDown()) {
            out.println("solo ocr on port " + e.resident().port() + " (pid "
                    + e.resident().pid() + ") is stopping.");
            return Lifecycle.NOT_RUNNING;
        }
        if (o instanceof Outcome.ResidentError e) { // a resident of a version without STATUS
            return running(e.resident(), new About("", 0, "", ""), registry, out);
        }
        if (o instanceof Outcome.ResidentLost l) {
            out.println("solo ocr is not usable: the resident on port "
                    + l.resident().port() + " (pid "
                    + l.resident().pid() + ") dropped the question: "
                    + TextCleanup.withoutControls(String.valueOf(l.cause().getMessage())) + ".");
            return OcrCommand.FAILED;
        }
        ServiceIdentity id = r.identity(); // it answered who it is, then not the STATUS question
        if (ProcessHandle.of(id.pid()).map(ProcessHandle::isAlive).orElse(false)) {
            out.println("solo ocr is not usable: the resident on port " + id.port() + " (pid " + id.pid()
                    + ") said who it is, then did not answer STATUS.");
            return OcrCommand.FAILED;
        }
        out.println("solo ocr is not running on " + Lifecycle.ports(config.ports()) + " (it ended just now).");
        return Lifecycle.NOT_RUNNING;
    }

    /**
     * {@code " Port N is held by another program that …; its socket belongs to user 'nobody' (uid 65534), pid
     * 4242 (python3). Stop that program or choose another port."}, as {@code solo monitor status} names the
     * holder of its port, when a program that is not a solo ocr resident holds the range's first port;
     * {@code ""} otherwise (nothing there, or another user's resident, which shares the range as it may). Still "not running" (exit 3): a resident started now takes the next
     * free port of the range.
     */
    private static String squatter(int first, Registry registry) {
        Optional<ClaimResult> holder = SingleInstance.builder(OcrResident.SERVICE)
                .policy(PortPolicy.fixed(first))
                .registry(registry)
                .localSocket(false)
                .build()
                .inspect();
        // Another user's resident there is no squatter: users share a range, each resident on its own port.
        // One of ours that answers now started just now: the next status says so.
        return holder.isPresent() && holder.get() instanceof ClaimResult.ForeignService f ? " " + f.message() : "";
    }

    private static int running(ServiceIdentity id, About about, Registry registry, PrintWriter out) {
        Duration up = Duration.between(id.started(), Instant.now());
        out.println("solo ocr is running on port " + id.port() + " (pid " + id.pid() + ", version " + id.version()
                + ", up " + Lifecycle.uptime(up) + ", since "
                + SINCE.format(id.started().atZone(ZoneId.systemDefault())) + ").");
        out.println("  engine  " + (about.engine().isEmpty() ? "(not said by this version)" : about.engine())
                + (about.images() > 0 ? ", up to " + about.images() + " images at once" : ""));
        out.println("  hotkey  "
                + (about.hotkey().isEmpty()
                        ? "none: " + (about.display().isEmpty() ? "not said by this version" : about.display())
                        : about.hotkey() + " on display " + about.display()));
        Optional<InstanceRecord> record = registry.records(OcrResident.SERVICE).stream()
                .filter(r -> r.instance().equals(id.instance()))
                .findFirst();
        out.println("  log     " + log(record, registry));
        return 0;
    }

    /** Where the resident logs, as its registry record says; what is known when the record is gone. */
    private static String log(Optional<InstanceRecord> record, Registry registry) {
        if (record.isEmpty()) {
            return "unknown: its registry record is gone from " + registry.instancesDir()
                    + " (deleted while it ran); 'solo ocr stop', then start it again, writes a new one";
        }
        return record.get().log() != null
                ? record.get().log().toString()
                : "none: it writes to the terminal it was started from (solo ocr --background logs to a file)";
    }
}
