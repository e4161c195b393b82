package dev.solo.cli.monitor.service;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The systemd user units that keep one monitor's port held while it is down and start it on the first
 * connection: {@code solo-monitor-<port>.socket} ({@code ListenStream=127.0.0.1:<port>}, {@code
 * Accept=no}) and {@code solo-monitor-<port>.service} ({@code StandardInput=socket}: the JVM takes the
 * listening socket from {@code System.inheritedChannel()}; {@code Restart=on-failure}; {@code
 * SuccessExitStatus=143}: a JVM ended by {@code systemctl stop}'s SIGTERM exits 128+15 after its orderly
 * shutdown, which is a stop, not a failure). Pure text: the
 * command writes and enables them.
 */
public final class SystemdUnits {
    private SystemdUnits() {}

    /** {@code solo-monitor-<port>}, the units' common name. */
    public static String name(int port) {
        return "solo-monitor-" + port;
    }

    /** The socket unit for {@code port}. */
    public static String socket(int port) {
        return """
                [Unit]
                Description=solo monitor port 127.0.0.1:%1$d (starts the monitor on the first connection)

                [Socket]
                ListenStream=127.0.0.1:%1$d
                Accept=no
                NoDelay=true

                [Install]
                WantedBy=sockets.target
                """.formatted(port);
    }

    /**
     * The service unit for {@code port}: {@code command} (the whole command line of the monitor server,
     * {@code monitor --foreground --no-browser --port <port>} included) with {@code environment}, output
     * appended to {@code log}.
     */
    public static String service(int port, List<String> command, Map<String, String> environment, Path log) {
        StringBuilder exec = new StringBuilder();
        for (String part : command) {
            if (exec.length() > 0) exec.append(' ');
            exec.append(quote(part));
        }
        StringBuilder env = new StringBuilder();
        environment.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> env.append("Environment=")
                        .append(quote(e.getKey() + "=" + e.getValue()))
                        .append('\n'));
        return """
                [Unit]
                Description=solo monitor of Claude Code sessions on 127.0.0.1:%1$d
                Requires=%2$s.socket
                After=%2$s.socket

                [Service]
                Type=simple
                ExecStart=%3$s
                %4$sStandardInput=socket
                StandardOutput=append:%5$s
                StandardError=inherit
                Restart=on-failure
                RestartSec=1
                SuccessExitStatus=143

                [Install]
                Also=%2$s.socket
                """.formatted(
                        port, name(port), exec, env, escape(log.toAbsolutePath().toString()));
    }

    /** One word of a systemd command line: as is when plain, else in double quotes; {@code %} and {@code $} escaped. */
    static String quote(String word) {
        String w = escape(word);
        if (!w.isEmpty() && w.matches("[A-Za-z0-9_./:=@+,%$-]+")) return w;
        return "\"" + w.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** systemd expands {@code %} specifiers and {@code $} variables: double them to mean themselves. */
    static String escape(String text) {
        return text.replace("%", "%%").replace("$", "$$");
    }
}
