package dev.solo.cli.fast;

import dev.solo.cli.ListCommand;
import dev.solo.cli.Main;
import java.io.PrintWriter;

/** {@code solo list [--timeout MS]}, through {@link ListCommand#report}. */
final class ListFast {
    private static final String[] NO_FLAGS = {};
    private static final String[] VALUED = {"--timeout"};

    private ListFast() {}

    static int list(String[] args, PrintWriter out, PrintWriter err) {
        Options o = Options.read(args, 1, NO_FLAGS, VALUED);
        if (o == null) return FastPath.NOT_HANDLED;
        int timeout = ListCommand.DEFAULT_TIMEOUT_MILLIS;
        if (o.value("--timeout") != null) {
            timeout = Options.plainNumber(o.value("--timeout"));
            if (timeout <= 0) return FastPath.NOT_HANDLED;
        }
        try {
            int code = ListCommand.report(timeout, out, err);
            out.flush();
            return code;
        } catch (RuntimeException e) {
            return Main.report(e, err);
        }
    }
}
