package dev.solo.cli.monitor;

import dev.solo.core.LiveInstance;
import dev.solo.core.Registry;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code solo monitor list}: every live monitor of this user, checked against its /health. */
@Command(name = "list", description = "List the live monitors of this user (name, port, pid, uptime, streams, events).")
final class ListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<LiveInstance> live = Registry.forCurrentUser().live().stream()
                .filter(l -> l.record().service().equals(Target.SERVICE))
                .toList();
        if (live.isEmpty()) {
            out.println("No solo monitor is running for this user.");
            return 0;
        }
        String format = "%-12s %6s %8s %9s %8s %9s%n";
        out.printf(format, "NAME", "PORT", "PID", "UPTIME", "STREAMS", "EVENTS");
        for (LiveInstance l : live) {
            var id = l.identity();
            String health = l.answering() ? MonitorHttp.health(id.port()) : "";
            out.printf(
                    format,
                    id.name().isEmpty() ? "-" : id.name(),
                    id.port(),
                    id.pid(),
                    StatusCommand.uptime(Duration.between(id.started(), Instant.now())),
                    l.answering() ? Long.toString(MonitorHttp.number(health, "streams")) : "?",
                    l.answering() ? Long.toString(MonitorHttp.number(health, "events")) : "not answering");
        }
        return 0;
    }
}
