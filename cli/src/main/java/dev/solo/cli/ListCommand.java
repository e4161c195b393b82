package dev.solo.cli;

import dev.solo.core.LiveInstance;
import dev.solo.core.Registry;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code solo list}: every live solo instance of this user. Each registry record is checked against
 * its process and port; stale records are removed and not shown.
 */
@Command(
        name = "list",
        description = "List the live solo instances of this user (service, name, port, pid, uptime, state).")
final class ListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--timeout",
            defaultValue = "1000",
            description = "How long to wait for each instance to answer, in ms (default: ${DEFAULT-VALUE}).")
    int timeoutMillis;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (timeoutMillis <= 0) {
            spec.commandLine().getErr().println("Error: --timeout must be > 0 ms, got " + timeoutMillis + ".");
            return Main.USAGE;
        }
        Registry registry = Registry.forCurrentUser();
        List<LiveInstance> live = registry.live(Duration.ofMillis(timeoutMillis));
        if (live.isEmpty()) {
            out.println("No solo instance is running for this user (registry: " + registry.instancesDir() + ").");
            return 0;
        }
        String format = "%-14s %-12s %6s %8s %9s %s%n";
        out.printf(format, "SERVICE", "NAME", "PORT", "PID", "UPTIME", "STATE");
        Instant now = Instant.now();
        for (LiveInstance l : live) {
            var id = l.identity();
            String state = l.answering() ? id.state().wire() : "not answering";
            out.printf(
                    format,
                    id.service(),
                    id.name().isEmpty() ? "-" : id.name(),
                    id.port(),
                    id.pid(),
                    uptime(Duration.between(id.started(), now)),
                    state);
        }
        return 0;
    }

    static String uptime(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) return s + "s";
        if (s < 3600) return (s / 60) + "m" + (s % 60) + "s";
        if (s < 86400) return (s / 3600) + "h" + (s % 3600 / 60) + "m";
        return (s / 86400) + "d" + (s % 86400 / 3600) + "h";
    }
}
