package dev.solo.cli.fast;

import dev.solo.cli.Main;
import dev.solo.cli.monitor.MonitorCommand;
import dev.solo.cli.monitor.StatusCommand;
import dev.solo.cli.monitor.Target;
import java.io.PrintWriter;
import java.util.Optional;

/**
 * {@code solo monitor [--port N] [--no-browser]} when a monitor of ours answers, and {@code solo monitor
 * status [--port N | --name NAME]}. Reuse hands over to the full command line whenever no monitor of
 * ours answers (starting one, naming a foreign holder, any state problem): those are the full
 * command's jobs. Status prints whatever it finds, through {@link StatusCommand#report}.
 */
final class MonitorFast {
    private static final String[] REUSE_FLAGS = {"--no-browser"};
    private static final String[] REUSE_VALUED = {"--port"};
    private static final String[] NO_FLAGS = {};
    private static final String[] STATUS_VALUED = {"--port", "--name"};

    private MonitorFast() {}

    static int reuse(String[] args, PrintWriter out, PrintWriter err) {
        Options o = Options.read(args, 1, REUSE_FLAGS, REUSE_VALUED);
        if (o == null) return FastPath.NOT_HANDLED;
        Integer port = port(o);
        if (port != null && port < 0) return FastPath.NOT_HANDLED;
        Target t;
        Optional<MonitorCommand.Found> running;
        try {
            t = Target.of(port, null);
            t.registry().token(); // a bad state directory or token file: the full command says so
            running = MonitorCommand.findRunning(t);
        } catch (RuntimeException badSettingsOrState) {
            return FastPath.NOT_HANDLED;
        }
        if (running.isEmpty()) return FastPath.NOT_HANDLED;
        try {
            MonitorCommand.reuse(running.get(), t, o.has("--no-browser"), out, err);
            out.flush();
            return 0;
        } catch (RuntimeException e) {
            return Main.report(e, err);
        }
    }

    static int status(String[] args, PrintWriter out, PrintWriter err) {
        Options o = Options.read(args, 2, NO_FLAGS, STATUS_VALUED);
        if (o == null) return FastPath.NOT_HANDLED;
        Integer port = port(o);
        if (port != null && port < 0) return FastPath.NOT_HANDLED;
        Target t;
        try {
            t = Target.of(port, o.value("--name"));
            t.registry().token();
        } catch (RuntimeException usageOrState) {
            return FastPath.NOT_HANDLED; // the full command line reports it in its words and exit code
        }
        try {
            int code = StatusCommand.report(t, out);
            out.flush();
            return code;
        } catch (RuntimeException e) {
            return Main.report(e, err);
        }
    }

    /** The {@code --port} value: {@code null} when absent, -1 when not a plain port number. */
    private static Integer port(Options o) {
        String text = o.value("--port");
        if (text == null) return null;
        int p = Options.plainNumber(text);
        return p >= 1 && p <= 65535 ? p : -1;
    }
}
