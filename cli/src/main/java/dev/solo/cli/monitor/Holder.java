package dev.solo.cli.monitor;

import dev.solo.core.ClaimResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Says who holds a monitor's port when it is not a monitor of ours that answers, for {@code stop},
 * {@code status}, {@code open} and {@code solo monitor}: another program, another user's monitor, or a
 * monitor of ours that does not answer (starting, stopped with SIGSTOP, hung). Nothing here sends a
 * request or a signal: a pid named in these messages came from an answer that did not prove itself, or
 * from the registry, and only the user may decide to signal it.
 */
public final class Holder {
    private Holder() {}

    /** One or two sentences naming who holds the port and what the user can do. */
    static String describe(ClaimResult holder) {
        if (holder instanceof ClaimResult.ForeignService f) {
            return "port " + f.port() + " is held by another program that " + f.description()
                    + ". It is not a solo monitor of yours: nothing was sent to it and nothing was signalled."
                    + " Stop that program, or use another port with --port.";
        }
        if (holder instanceof ClaimResult.OtherUser o) {
            return "port " + o.identity().port() + " is held by the solo monitor of user '"
                    + o.identity().user() + "' (pid "
                    + o.identity().pid() + "). It is not yours: nothing was sent to it and nothing was signalled."
                    + " Use another port with --port.";
        }
        if (holder instanceof ClaimResult.Hung h) {
            long pid = h.record().pid();
            return "the solo monitor on port " + h.record().port() + " (pid " + pid
                    + ") accepts connections but does not answer" + " (waited "
                    + h.waited().toMillis() + " ms). " + unstick(pid);
        }
        if (holder instanceof ClaimResult.Starting s) {
            long pid = s.record().pid();
            int port = s.record().port();
            return stopped(pid)
                    ? "the solo monitor on port " + port + " (pid " + pid + ") does not answer. " + unstick(pid)
                    : "the solo monitor on port " + port + " (pid " + pid + ") is starting and does not answer yet;"
                            + " try again in a moment.";
        }
        return holder.message();
    }

    private static String unstick(long pid) {
        return stopped(pid)
                ? "It is stopped (SIGSTOP or Ctrl+Z): resume it with 'kill -CONT " + pid + "', or end it with 'kill "
                        + pid + "'."
                : "It may be hung: end it with 'kill " + pid + "' (or 'kill -9 " + pid + "'), then start it again.";
    }

    /** Whether the process is stopped (Linux: state T in /proc/<pid>/stat); false where the OS does not tell. */
    public static boolean stopped(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            int end = stat.lastIndexOf(')'); // the command name may hold spaces and parentheses
            return end > 0 && end + 2 < stat.length() && (stat.charAt(end + 2) == 'T' || stat.charAt(end + 2) == 't');
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
