package dev.solo.cli.monitor.service;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a service runs, for the monitor of one fixed port: everything a service manager needs to know,
 * so the managers here never look at the user's environment or options themselves.
 *
 * @param port the monitor's port, 1..65535
 * @param command the whole command line of the monitor server ({@code java ... monitor --foreground
 *     --no-browser --port <port>})
 * @param environment the variables the monitor server needs set (a service manager does not pass the
 *     user's shell environment on)
 * @param home the state directory (where the task's XML is kept on Windows)
 * @param log the monitor's log, to which the service appends its output where the manager can
 */
public record ServiceSpec(int port, List<String> command, Map<String, String> environment, Path home, Path log) {
    public ServiceSpec {
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port must be 1..65535, got " + port);
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
        if (command.isEmpty()) throw new IllegalArgumentException("command is empty");
        // A line break would end the unit's ExecStart= line and start a directive of its own.
        for (String word : command) oneLine("the monitor's command line", word);
        environment.forEach((k, v) -> oneLine("the environment", k + "=" + v));
        oneLine("the state directory", home.toString());
        oneLine("the log", log.toString());
    }

    private static void oneLine(String what, String text) {
        if (text.chars().anyMatch(c -> c == '\n' || c == '\r' || c == 0)) {
            throw new IllegalArgumentException(what + " holds a line break or NUL ('"
                    + text.replace("\n", "\\n").replace("\r", "\\r").replace("\0", "\\0")
                    + "'), which no service file can carry. Move solo (or SOLO_HOME) to a path without one.");
        }
    }
}
