package dev.solo.cli.monitor.service;

import java.nio.file.Path;
import java.util.List;

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

    /** The plist for {@code port}: {@code java} (running {@code dev.solo.cli.Main}) as the program. */
    public static String plist(int port, List<String> java, Path home, Path log) {
        StringBuilder args = new StringBuilder();
        for (String a : java) args.append("    <string>").append(xml(a)).append("</string>\n");
        for (String a : List.of("monitor", "--foreground", "--no-browser", "--port", Integer.toString(port))) {
            args.append("    <string>").append(a).append("</string>\n");
        }
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
                    <key>SOLO_HOME</key>
                    <string>%3$s</string>
                  </dict>
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
                """
                .formatted(
                        label(port),
                        args,
                        xml(home.toAbsolutePath().toString()),
                        port,
                        xml(log.toAbsolutePath().toString()));
    }

    static String xml(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
