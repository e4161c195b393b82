package dev.solo.cli.monitor;

import dev.solo.core.ClaimResult;
import dev.solo.core.ServiceIdentity;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code solo monitor}: start the live monitor in the background, or find the one that runs.
 *
 * <p>The reuse path (a monitor already answers) loads solo-core and picocli only: a registry
 * listing, one {@code GET /health} with an HMAC proof, a message, the browser (with a one-time login
 * code, never the token). A port held by anything else (another program, another user's monitor, a
 * monitor of ours that does not answer) is named and left alone: nothing is sent to it. Starting runs a child
 * JVM ({@link Launcher}); {@code --foreground} serves in this process ({@link Foreground}).
 *
 * <p>Exit codes: 0 started or reused, 1 the port is held by something else (nothing started, never
 * another port), 2 bad usage.
 */
@Command(
        mixinStandardHelpOptions = true,
        versionProvider = dev.solo.cli.Version.Provider.class,
        name = "monitor",
        description =
                "Start the live monitor of Claude Code sessions (one per user and port), or open the running one.",
        subcommands = {
            StopCommand.class,
            StatusCommand.class,
            RestartCommand.class,
            OpenCommand.class,
            LogsCommand.class,
            ListCommand.class,
            TokenCommand.class,
            HooksCommand.class,
            ServiceCommand.class,
            ImportCommand.class
        })
public final class MonitorCommand implements Callable<Integer> {
    static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", description = "Port to serve on (default 8765, or $SOLO_MONITOR_PORT).")
    Integer port;

    @Option(
            names = "--host",
            paramLabel = "H",
            description = "Host name for URLs and the Host allow-list; must be loopback.")
    String host;

    @Option(names = "--no-browser", description = "Do not open a browser.")
    boolean noBrowser;

    @Option(names = "--foreground", description = "Serve in this process until Ctrl+C.")
    boolean foreground;

    @Option(
            names = "--name",
            paramLabel = "NAME",
            description = "A named instance: the OS assigns its port at the first start, and it keeps that port.")
    String name;

    @Option(
            names = "--new-port",
            description = "With --name: give up the port the instance keeps, start on a new one and rewrite its hooks"
                    + " (also with --foreground, once it serves).")
    boolean newPort;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Target t;
        String shownHost;
        try {
            t = Target.of(port, name);
            shownHost = checkHost(host);
        } catch (IllegalArgumentException e) {
            err.println("Error: " + e.getMessage());
            return USAGE;
        }
        t.registry().token(); // a bad state directory or token file: one line, nothing started
        Set<String> extra = host == null ? Set.of() : Set.of(shownHost.toLowerCase(Locale.ROOT));
        if (newPort) return moveToNewPort(t, shownHost, extra, out, err);
        if (foreground) return Foreground.run(t, extra, out, err);
        return start(t, shownHost, !noBrowser && !Browser.disabled(), out, err);
    }

    /** {@code --name N --new-port}: forget the kept port, start on a new one, point the name's hooks there. */
    private int moveToNewPort(Target t, String shownHost, Set<String> extra, PrintWriter out, PrintWriter err)
            throws IOException {
        if (!t.named()) {
            err.println(
                    "Error: --new-port is for named monitors (--name NAME); a monitor on a fixed port stays on it.");
            return USAGE;
        }
        Optional<ServiceIdentity> running = t.app().find();
        if (running.isPresent()) {
            err.println("Error: the named monitor '" + t.name() + "' runs on port "
                    + running.get().port() + "; stop it first with 'solo monitor stop --name " + t.name()
                    + "', then run this again.");
            return 1;
        }
        NamedPorts.put(t.registry().home(), t.name(), 0);
        Target fresh = t.withNewPort();
        if (foreground) {
            // The hooks move once the server answers on its new port; then this process serves until stopped.
            return Foreground.run(fresh, extra, port -> refreshHooks(t, out, err), out, err);
        }
        int code = start(fresh, shownHost, !noBrowser && !Browser.disabled(), out, err);
        if (code != 0) return code;
        return refreshHooks(t, out, err) == 0 ? 0 : 1;
    }

    /** Points the hooks installed for the named instance {@code t} at the port it now keeps. */
    private static int refreshHooks(Target t, PrintWriter out, PrintWriter err) {
        try {
            return dev.solo.monitor.hooks.InstallList.in(t.registry().home()).locked(() -> {
                var key = dev.solo.monitor.security.IngestKey.loadOrCreate(
                        t.registry().home());
                return Installs.refresh(t.registry(), key, t.name(), out, err);
            });
        } catch (IOException e) {
            err.println("Error: could not rewrite the hooks of the named monitor '" + t.name() + "' (" + e.getMessage()
                    + "). Run 'solo monitor hooks refresh' once that is fixed.");
            return 1;
        }
    }

    int start(Target t, String shownHost, boolean browser, PrintWriter out, PrintWriter err) throws IOException {
        Optional<Found> local = findLocal(t);
        if (local.isPresent()) {
            reuse(local.get(), shownHost, browser, t, out, err);
            return 0;
        }
        Optional<ClaimResult> holder = t.app().inspect();
        if (holder.isPresent() && holder.get() instanceof ClaimResult.Running r) {
            reuse(r.identity(), shownHost, browser, t, out, err);
            return 0;
        }
        if (holder.isPresent() && !(holder.get() instanceof ClaimResult.Starting)) {
            // Someone else holds the port, or ours does not answer: say who, start nothing, send nothing.
            if (holder.get() instanceof ClaimResult.Hung) {
                err.println("Error: " + Holder.describe(holder.get()));
            } else {
                err.println(Messages.portBusy(t));
                err.println("Details: " + holder.get().message());
            }
            return 1;
        }
        Optional<Launcher.Started> started = Launcher.launch(t, host, err);
        if (started.isEmpty()) return 1;
        ServiceIdentity id = started.get().identity();
        if (!started.get().ours()) {
            reuse(id, shownHost, browser, t, out, err);
            return 0;
        }
        String url = Messages.url(shownHost, id.port());
        out.println(Messages.starting(shownHost, id.port()));
        out.println(Messages.running(id.port()));
        warnAboutStaleHooks(t, err);
        if (browser) {
            Browser.openDashboard(
                    url,
                    Messages.opening(url),
                    id.port(),
                    null,
                    t.registry().token().value(),
                    true,
                    out,
                    err);
        }
        return 0;
    }

    /**
     * A monitor of ours that answers: its identity, and the same-user socket it answered on ({@code null}
     * when it was found over TCP with the proof).
     */
    public record Found(ServiceIdentity identity, Path socket) {}

    /**
     * The monitor of {@code t} if one of ours answers: on its same-user socket first, else over TCP with
     * the proof ({@code find()}). Prints nothing; the lean start calls it for a plain {@code solo monitor
     * [--port N] [--no-browser]}.
     */
    public static Optional<Found> findRunning(Target t) {
        Optional<Found> local = findLocal(t);
        if (local.isPresent()) return local;
        Optional<ServiceIdentity> tcp = t.app().find();
        return tcp.isPresent() ? Optional.of(new Found(tcp.get(), null)) : Optional.empty();
    }

    private static Optional<Found> findLocal(Target t) {
        Optional<LocalMonitor.Found> local =
                LocalMonitor.status(t, t.registry().token().value());
        return local.isPresent()
                ? Optional.of(new Found(local.get().identity(), local.get().socket()))
                : Optional.empty();
    }

    /** What {@link #call()} prints and does when {@link #findRunning} found the monitor (the lean start calls it). */
    public static void reuse(Found found, Target t, boolean noBrowser, PrintWriter out, PrintWriter err) {
        reuse(found, "localhost", !noBrowser && !Browser.disabled(), t, out, err);
    }

    static void reuse(
            ServiceIdentity id, String shownHost, boolean browser, Target t, PrintWriter out, PrintWriter err) {
        reuse(new Found(id, null), shownHost, browser, t, out, err);
    }

    static void reuse(Found found, String shownHost, boolean browser, Target t, PrintWriter out, PrintWriter err) {
        ServiceIdentity id = found.identity();
        // A name it was not started with gets 403 from it: print the address that works, and say why.
        Optional<List<String>> refused =
                HostCheck.refused(id.port(), shownHost, t.registry().token().value());
        String url = Messages.url(refused.isPresent() ? "localhost" : shownHost, id.port());
        out.println(Messages.alreadyRunning(url));
        if (refused.isPresent()) err.println(HostCheck.note(t, id.port(), shownHost, refused.get()));
        warnAboutStaleHooks(t, err);
        if (browser) {
            Browser.openDashboard(
                    url,
                    Messages.openingExisting(url),
                    id.port(),
                    found.socket(),
                    t.registry().token().value(),
                    true,
                    out,
                    err);
        }
    }

    /** Hooks installed before the ingest key existed carry the token: say so, and how to fix it. */
    static void warnAboutStaleHooks(Target t, PrintWriter err) {
        // No lambda here: this runs on the reuse path, where the first lambda costs milliseconds.
        Optional<String> warning =
                ClaudeSettings.staleWarning(t.registry().token().value(), System.getenv());
        if (warning.isPresent()) err.println(warning.get());
    }

    /** "localhost" when absent; else a name that resolves to loopback addresses only. */
    static String checkHost(String host) {
        if (host == null) return "localhost";
        String h = host.trim();
        String bare = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
        if (bare.isEmpty() || !bare.matches("[A-Za-z0-9._:-]+")) {
            throw new IllegalArgumentException("--host must be a host name or loopback address, got '" + host + "'.");
        }
        InetAddress[] all;
        try {
            all = InetAddress.getAllByName(bare);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--host '" + host + "' does not resolve. Use localhost, or add the"
                    + " name to /etc/hosts for 127.0.0.1.");
        }
        for (InetAddress a : all) {
            if (!a.isLoopbackAddress()) {
                throw new IllegalArgumentException("--host '" + host + "' resolves to " + a.getHostAddress()
                        + ", which is not loopback; the monitor listens on 127.0.0.1 and ::1 only.");
            }
            // 127.0.0.2 (or a name Debian maps to 127.0.1.1) is loopback too, but nothing listens there: the
            // printed URL could not connect
            boolean bound =
                    a.getHostAddress().equals("127.0.0.1") || (a.getAddress().length == 16 && a.isLoopbackAddress());
            if (!bound) {
                throw new IllegalArgumentException("--host '" + host + "' resolves to " + a.getHostAddress()
                        + ", where the monitor does not listen (127.0.0.1 and ::1 only). Use localhost, or map the"
                        + " name to 127.0.0.1 in /etc/hosts.");
            }
        }
        return bare.contains(":") ? "[" + bare + "]" : bare;
    }
}
