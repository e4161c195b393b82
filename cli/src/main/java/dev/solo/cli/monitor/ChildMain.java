package dev.solo.cli.monitor;

import dev.solo.monitor.server.MonitorServer;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Set;

/**
 * The entry point of the monitor server child that {@link Launcher} starts: {@code monitor --foreground
 * --no-browser [--port N | --name NAME] [--host H]}, exactly what {@link Launcher#launch} passes, served
 * as {@code solo monitor --foreground} serves it ({@link Foreground}) but without building picocli's
 * command model. That model (reflection over every command of {@code solo}, and picocli's classes,
 * which class-data sharing cannot archive) was the largest part of the child's time to its first
 * {@code /health}. Any other arguments go to {@link dev.solo.cli.Main}, unchanged.
 */
public final class ChildMain {
    private ChildMain() {}

    public static void main(String[] args) {
        Integer port = null;
        String name = null;
        String host = null;
        boolean foreground = false;
        boolean ours = args.length >= 1 && args[0].equals("monitor");
        for (int i = 1; ours && i < args.length; i++) {
            String a = args[i];
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--foreground" -> foreground = true;
                case "--no-browser" -> {}
                case "--port" -> {
                    port = value == null ? null : parsePort(value);
                    ours = port != null;
                    i++;
                }
                case "--name" -> {
                    name = value;
                    ours = value != null;
                    i++;
                }
                case "--host" -> {
                    host = value;
                    ours = value != null;
                    i++;
                }
                default -> ours = false;
            }
        }
        if (!ours || !foreground) {
            dev.solo.cli.Main.main(args);
            return;
        }
        new WarmUp("monitor-warm", false).start(); // overlaps the claim and the token below
        new WarmUp("monitor-warm-db", true).start();
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(port, name, host, out, err));
    }

    /** What {@code MonitorCommand} does for {@code --foreground}, with the same checks and exit codes. */
    static int run(Integer port, String name, String host, PrintWriter out, PrintWriter err) {
        Target t;
        String shownHost;
        try {
            t = Target.of(port, name);
            shownHost = MonitorCommand.checkHost(host);
        } catch (IllegalArgumentException e) {
            err.println("Error: " + e.getMessage());
            return MonitorCommand.USAGE;
        }
        try {
            t.registry().token(); // a bad state directory or token file: one line, nothing started
        } catch (RuntimeException e) {
            err.println("Error: " + e.getMessage());
            return 1;
        }
        Set<String> extra = host == null ? Set.of() : Set.of(shownHost.toLowerCase(Locale.ROOT));
        return Foreground.run(t, extra, out, err);
    }

    /**
     * A part of the start's one-time work on a daemon thread of its own, beside the claim: {@link
     * MonitorServer#warmUpStore()} (what the store's open needs first), or the claim's first nonce (the JCA
     * providers) then {@link MonitorServer#warmUpHttp()}. A class, not a lambda: the first lambda of a
     * process waits for the JVM's lambda machinery to start, and this work should begin at once.
     */
    private static final class WarmUp extends Thread {
        private final boolean store;

        WarmUp(String name, boolean store) {
            super(name);
            this.store = store;
            setDaemon(true);
        }

        @Override
        public void run() {
            if (store) {
                MonitorServer.warmUpStore();
            } else {
                dev.solo.core.Token.nonce(); // the claim's first nonce: the JCA providers, DRBG, SHA-256
                MonitorServer.warmUpHttp();
                if (AotCache.applies() && OldGenGuard.wanted()) OldGenGuard.install(); // JDK 25's serial GC: see there
            }
        }
    }

    private static Integer parsePort(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
