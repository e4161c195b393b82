package dev.solo.cli.monitor;

import dev.solo.core.ServiceIdentity;
import java.io.PrintWriter;
import java.util.Optional;

/**
 * The hot path of {@code solo monitor}: a monitor already answers, so print where it is, open the
 * browser, and exit, without building picocli's command model (about 60 ms of reflection, more than a
 * bare JVM start). It accepts only the plain forms {@code monitor [--port N] [--no-browser]}; anything
 * else, and every case where no monitor of ours answers, returns {@code -1} and the full command line
 * takes over, with its own checks, messages and start-up.
 */
public final class ReuseFast {
    private ReuseFast() {}

    /** The exit code when a running monitor was reused; {@code -1} to run the normal command line. */
    public static int tryReuse(String[] args, PrintWriter out, PrintWriter err) {
        if (args.length == 0 || !args[0].equals("monitor")) return -1;
        Integer port = null;
        boolean noBrowser = false;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--no-browser")) {
                noBrowser = true;
            } else if (a.equals("--port") && i + 1 < args.length && port == null) {
                port = parsePort(args[++i]);
                if (port == null) return -1;
            } else if (a.startsWith("--port=") && port == null) {
                port = parsePort(a.substring("--port=".length()));
                if (port == null) return -1;
            } else {
                return -1;
            }
        }
        try {
            Target t = Target.of(port, null);
            Optional<ServiceIdentity> running = t.app().find();
            if (running.isEmpty()) return -1;
            MonitorCommand.reuse(running.get(), "localhost", !noBrowser && !Browser.disabled(), t, out, err);
            out.flush();
            return 0;
        } catch (RuntimeException badStateOrEnvironment) {
            return -1; // a bad token file, an unwritable state directory…: the full command line reports it
        }
    }

    private static Integer parsePort(String text) {
        try {
            int p = Integer.parseInt(text);
            return p >= 1 && p <= 65535 ? p : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
