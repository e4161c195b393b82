package dev.solo.cli.ocr;

import dev.solo.cli.monitor.Holder;
import dev.solo.cli.monitor.StatusCommand;
import dev.solo.core.ClaimResult;
import dev.solo.core.PortPolicy;
import java.time.Duration;
import java.util.Optional;

/**
 * What {@code solo ocr status} and {@code solo ocr stop} share: how they name the port range, who holds a
 * port when it is not a resident of ours that answers, and the bounded waits of {@code stop}. The wording
 * follows {@code solo monitor status/stop}, so the two feel like one tool. Nothing here sends a request
 * or a signal: a pid named in these messages came from the registry or from an answer that did not
 * prove itself, and only the user may decide to signal it.
 */
final class Lifecycle {
    /** Exit code of {@code status}: no resident of this user runs ({@code stop} exits 0 then). */
    static final int NOT_RUNNING = 3;

    private Lifecycle() {}

    /** {@code ports 49500-49550}, or {@code port 49500} for a range of one. */
    static String ports(PortPolicy.Range range) {
        return range.start() == range.end() ? "port " + range.start() : "ports " + range.start() + "-" + range.end();
    }

    /** One or two sentences naming who holds the port and what the user can do. */
    static String describe(ClaimResult holder) {
        if (holder instanceof ClaimResult.OtherUser o) {
            return "port " + o.identity().port() + " is held by the solo ocr of user '"
                    + o.identity().user()
                    + "' (pid " + o.identity().pid() + "). It is not yours: nothing was sent to it and nothing was"
                    + " signalled.";
        }
        if (holder instanceof ClaimResult.Hung h)
            return silent(h.record().port(), h.record().pid(), h.waited());
        if (holder instanceof ClaimResult.Starting s) {
            if (Holder.stopped(s.record().pid()))
                return silent(s.record().port(), s.record().pid(), s.waited());
            return "the solo ocr on port " + s.record().port() + " (pid "
                    + s.record().pid() + ") is starting and" + " does not answer yet; try again in a moment.";
        }
        return holder.message();
    }

    /**
     * A resident of ours that holds its port and said nothing for {@code waited}: stopped (the OS says so,
     * where it tells) or hung. Only the user may signal it.
     */
    private static String silent(int port, long pid, Duration waited) {
        String what = Holder.stopped(pid)
                ? "It is stopped (SIGSTOP or Ctrl+Z): resume it with 'kill -CONT " + pid + "', or end it with 'kill "
                        + pid + "'."
                : "It may be stopped (resume it with 'kill -CONT " + pid + "') or hung (end it with 'kill " + pid
                        + "').";
        return "the solo ocr resident on port " + port + " (pid " + pid + ") holds its port but does not answer within "
                + seconds(waited) + ". " + what;
    }

    /** {@code 2 s}, {@code 1.5 s}. */
    static String seconds(Duration d) {
        long tenths = (d.toMillis() + 50) / 100;
        return (tenths % 10 == 0 ? Long.toString(tenths / 10) : tenths / 10 + "." + tenths % 10) + " s";
    }

    /** {@code 42s}, {@code 3m 5s}, {@code 2h 7m}: as {@code solo monitor status} says it. */
    static String uptime(Duration d) {
        return StatusCommand.uptime(d);
    }

    /**
     * Waits until the process has ended (or, for one this user cannot see, until its port refuses), at
     * most {@code max}.
     */
    static boolean gone(Optional<ProcessHandle> process, int port, Duration max) throws InterruptedException {
        if (process.isPresent()) {
            try {
                process.get().onExit().get(max.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                return true;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                return !process.get().isAlive();
            }
        }
        return StatusCommand.portFreeWithin(port, max);
    }
}
