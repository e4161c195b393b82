package dev.solo.cli.monitor.service;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The macOS launchd agent that does what the systemd units do (written, untested on macOS): {@code
 * Sockets} holds 127.0.0.1:&lt;port&gt;, {@code inetdCompatibility} {@code Wait} true hands the listening
 * socket to the monitor as stdin (taken from {@code System.inheritedChannel()}, as under systemd), and
 * {@code KeepAlive} {@code SuccessfulExit} false starts it again after a crash. Pure text.
 */
public final class LaunchdAgent {
    private LaunchdAgent() {}

    /** {@code dev.solo.monitor.<port>}, the agent's label and file name. */
    public static String label(int port) {
        return "dev.solo.monitor." + port;
    }

    /**
     * The plist for {@code port}: {@code command} (the whole command line of the monitor server) as the
     * program, with {@code environment}.
     */
    public static String plist(int port, List<String> command, Map<String, String> environment, Path log) {
        StringBuilder args = new StringBuilder();
        for (String a : command) args.append("    <string>").append(xml(a)).append("</string>\n");
        StringBuilder env = new StringBuilder();
        environment.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> env.append("    <key>")
                        .append(xml(e.getKey()))
                        .append("</key>\n    <string>")
                        .append(xml(e.getValue()))
                        .append("</string>\n"));
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
                <plist version="1.0">
                <dict>
                  <key>Label</key>
                  <string>%1$s</string>
                  <key>ProgramArguments</key>
                  <array>
                %2$s  </array>
                  <key>EnvironmentVariables</key>
                  <dict>
                %3$s  </dict>
                  <key>Sockets</key>
                  <dict>
                    <key>Listener</key>
                    <dict>
                      <key>SockNodeName</key>
                      <string>127.0.0.1</string>
                      <key>SockServiceName</key>
                      <string>%4$d</string>
                      <key>SockType</key>
                      <string>stream</string>
                    </dict>
                  </dict>
                  <key>inetdCompatibility</key>
                  <dict>
                    <key>Wait</key>
                    <true/>
                  </dict>
                  <key>KeepAlive</key>
                  <dict>
                    <key>SuccessfulExit</key>
                    <false/>
                  </dict>
                  <key>StandardOutPath</key>
                  <string>%5$s</string>
                  <key>StandardErrorPath</key>
                  <string>%5$s</string>
                </dict>
                </plist>
                """.formatted(
                        label(port), args, env, port, xml(log.toAbsolutePath().toString()));
    }

    static String xml(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
