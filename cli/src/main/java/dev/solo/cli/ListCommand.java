package dev.solo.cli;

import dev.solo.core.DamagedRecord;
import dev.solo.core.LiveInstance;
import dev.solo.core.Registry;
import dev.solo.core.ServiceIdentity;
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
public final class ListCommand implements Callable<Integer> {
    /** How long each instance has to answer unless {@code --timeout} says otherwise. */
    public static final int DEFAULT_TIMEOUT_MILLIS = 1000;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--timeout",
            defaultValue = "" + DEFAULT_TIMEOUT_MILLIS,
            description = "How long to wait for each instance to answer, in ms (default: ${DEFAULT-VALUE}).")
    int timeoutMillis;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (timeoutMillis <= 0) {
            spec.commandLine().getErr().println("Error: --timeout must be > 0 ms, got " + timeoutMillis + ".");
            return Main.USAGE;
        }
        return report(timeoutMillis, out, spec.commandLine().getErr());
    }

    /**
     * Prints the table of this user's live instances, each given {@code timeoutMillis} (> 0) to answer;
     * the exit code. No {@code printf}: the lean start calls it, and {@code java.util.Formatter} costs a
     * start-up its regular expressions and locale data.
     */
    public static int report(int timeoutMillis, PrintWriter out, PrintWriter err) {
        return report(Registry.forCurrentUser(), timeoutMillis, out, err);
    }

    /** As {@link #report(int, PrintWriter, PrintWriter)}; each record that cannot be read is a warning on {@code err}. */
    static int report(Registry registry, int timeoutMillis, PrintWriter out, PrintWriter err) {
        List<LiveInstance> live = registry.live(Duration.ofMillis(timeoutMillis));
        warnDamaged(registry, err);
        if (live.isEmpty()) {
            out.println("No solo instance is running for this user (registry: " + registry.instancesDir() + ").");
            return 0;
        }
        StringBuilder b = new StringBuilder(128 * (live.size() + 1));
        row(b, "SERVICE", "NAME", "PORT", "PID", "UPTIME", "STATE");
        Instant now = Instant.now();
        for (LiveInstance l : live) {
            ServiceIdentity id = l.identity();
            row(
                    b,
                    id.service(),
                    id.name().isEmpty() ? "-" : id.name(),
                    Integer.toString(id.port()),
                    Long.toString(id.pid()),
                    uptime(Duration.between(id.started(), now)),
                    l.answering() ? id.state().wire() : "not answering");
        }
        out.print(b);
        out.flush();
        return 0;
    }

    /**
     * A warning for each record kept though it cannot be read (its resident may run: {@link
     * Registry#damaged()}), with the path, what is wrong and what to do.
     */
    public static void warnDamaged(Registry registry, PrintWriter err) {
        for (DamagedRecord d : registry.damaged()) err.println("Warning: " + d.message());
        err.flush();
    }

    /** One line of the table, as {@code "%-14s %-12s %6s %8s %9s %s%n"} would print it. */
    static void row(
            StringBuilder b, String service, String name, String port, String pid, String uptime, String state) {
        left(b, service, 14).append(' ');
        left(b, name, 12).append(' ');
        right(b, port, 6).append(' ');
        right(b, pid, 8).append(' ');
        right(b, uptime, 9).append(' ');
        b.append(state).append(System.lineSeparator());
    }

    private static StringBuilder left(StringBuilder b, String s, int width) {
        b.append(s);
        for (int i = s.length(); i < width; i++) b.append(' ');
        return b;
    }

    private static StringBuilder right(StringBuilder b, String s, int width) {
        for (int i = s.length(); i < width; i++) b.append(' ');
        return b.append(s);
    }

    static String uptime(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) return s + "s";
        if (s < 3600) return (s / 60) + "m" + (s % 60) + "s";
        if (s < 86400) return (s / 3600) + "h" + (s % 3600 / 60) + "m";
        return (s / 86400) + "d" + (s % 86400 / 3600) + "h";
    }
}
