package dev.solo.cli.monitor;

import dev.solo.core.LiveInstance;
import dev.solo.core.Registry;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code solo monitor list}: every live monitor of this user, proven by its /health, counted by /api/status. */
@Command(
        mixinStandardHelpOptions = true,
        versionProvider = dev.solo.cli.Version.Provider.class,
        name = "list",
        description = "List the live monitors of this user (name, port, pid, uptime, streams, events).")
final class ListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Registry registry = Registry.forCurrentUser();
        String token = registry.token().value(); // a bad state directory or token file: one line
        // Registry.live() keeps only instances whose answer proved the token, bound to their port and pid.
        List<LiveInstance> live = registry.live().stream()
                .filter(l -> l.record().service().equals(Target.SERVICE))
                .toList();
        dev.solo.cli.ListCommand.warnDamaged(registry, spec.commandLine().getErr());
        if (live.isEmpty()) {
            out.println("No solo monitor is running for this user.");
            return 0;
        }
        String format = "%-12s %6s %8s %9s %8s %9s%n";
        out.printf(format, "NAME", "PORT", "PID", "UPTIME", "STREAMS", "EVENTS");
        for (LiveInstance l : live) {
            var id = l.identity();
            String streams = "?";
            String events = "not answering";
            if (l.answering()) {
                try {
                    MonitorHttp.Counts c = MonitorHttp.status(id.port(), token);
                    streams = Long.toString(c.streams());
                    events = Long.toString(c.events());
                } catch (IOException e) {
                    events = "?";
                }
            }
            out.printf(
                    format,
                    id.name().isEmpty() ? "-" : id.name(),
                    id.port(),
                    id.pid(),
                    StatusCommand.uptime(Duration.between(id.started(), Instant.now())),
                    streams,
                    events);
        }
        return 0;
    }
}
