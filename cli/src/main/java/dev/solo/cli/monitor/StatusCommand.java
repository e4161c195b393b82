package dev.solo.cli.monitor;

import dev.solo.core.ServiceIdentity;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code solo monitor status}: from /health, not from a pid file. Exit 0 running, 3 not running. */
@Command(name = "status", description = "Say whether the monitor runs, from its /health answer.")
final class StatusCommand implements Callable<Integer> {
    static final int NOT_RUNNING = 3;

    @Spec
    CommandSpec spec;

    @Mixin
    TargetOptions options;

    @Override
    public Integer call() {
        Target t = options.target();
        Optional<ServiceIdentity> found = t.app().find();
        if (found.isEmpty()) {
            spec.commandLine().getOut().println("solo monitor is not running on " + t.describe() + ".");
            return NOT_RUNNING;
        }
        ServiceIdentity id = found.get();
        String health = MonitorHttp.health(id.port());
        spec.commandLine()
                .getOut()
                .println("solo monitor is running at " + Messages.url("localhost", id.port()) + " (pid " + id.pid()
                        + ", version " + id.version() + ", up " + uptime(Duration.between(id.started(), Instant.now()))
                        + ", " + Math.max(0, MonitorHttp.number(health, "streams")) + " streams, "
                        + Math.max(0, MonitorHttp.number(health, "events")) + " events).");
        return 0;
    }

    static String uptime(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) return s + "s";
        if (s < 3600) return s / 60 + "m " + s % 60 + "s";
        return s / 3600 + "h " + (s % 3600) / 60 + "m";
    }
}
