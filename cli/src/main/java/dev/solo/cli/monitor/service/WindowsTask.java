package dev.solo.cli.monitor.service;

import java.nio.file.Path;
import java.util.List;

/**
 * The Windows logon task that starts the monitor when the user logs on (written and unit-tested on
 * Linux; untested on Windows itself): a Task Scheduler 1.2 definition registered with {@code schtasks
 * /Create /XML}. Pure text and command lines: the command runs them.
 *
 * <ul>
 *   <li>A {@code LogonTrigger} for this user only, run as this user with their interactive token ({@code
 *       InteractiveToken}: no password is stored, nothing runs when the user is not logged on), at least
 *       privilege.
 *   <li>{@code Hidden}, and the program is {@code javaw.exe} when {@code java.exe} is given: no console
 *       window at logon.
 *   <li>{@code RestartOnFailure} (every minute, up to 255 times: what Task Scheduler restarts is a task
 *       that failed to start, MS-TSCH 2.5.4.2), no time limit, {@code IgnoreNew} (one monitor), not
 *       stopped on battery or idle end.
 *   <li>The command line holds paths, a port and JVM options, nothing secret: the token and the ingest
 *       key stay in the state directory's 0600 files.
 * </ul>
 *
 * Windows has no socket activation: the port is free between logoff and the task's start.
 */
public final class WindowsTask {
    private WindowsTask() {}

    /** {@code solo-monitor-<port>}, the task's name in Task Scheduler's root folder. */
    public static String name(int port) {
        return "solo-monitor-" + port;
    }

    /**
     * The task's XML for {@code port}: {@code command} (the whole command line of the monitor server),
     * started in {@code workingDirectory} for {@code user} ({@code DOMAIN\name}, as {@code
     * %USERDOMAIN%\%USERNAME%}). Saved as UTF-16, as {@code schtasks} expects; the declaration says so.
     */
    public static String xml(int port, List<String> command, String user, Path workingDirectory) {
        if (command.isEmpty()) throw new IllegalArgumentException("command is empty");
        if (user == null || user.isBlank()) throw new IllegalArgumentException("user is empty");
        String program = windowless(command.get(0));
        String arguments = commandLine(command.subList(1, command.size()));
        return """
                <?xml version="1.0" encoding="UTF-16"?>
                <Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
                  <RegistrationInfo>
                    <Description>solo monitor of Claude Code sessions on 127.0.0.1:%1$d (solo monitor service install)</Description>
                    <URI>\\%2$s</URI>
                  </RegistrationInfo>
                  <Triggers>
                    <LogonTrigger>
                      <Enabled>true</Enabled>
                      <UserId>%3$s</UserId>
                    </LogonTrigger>
                  </Triggers>
                  <Principals>
                    <Principal id="Author">
                      <UserId>%3$s</UserId>
                      <LogonType>InteractiveToken</LogonType>
                      <RunLevel>LeastPrivilege</RunLevel>
                    </Principal>
                  </Principals>
                  <Settings>
                    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
                    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
                    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
                    <AllowHardTerminate>true</AllowHardTerminate>
                    <StartWhenAvailable>true</StartWhenAvailable>
                    <RunOnlyIfNetworkAvailable>false</RunOnlyIfNetworkAvailable>
                    <IdleSettings>
                      <StopOnIdleEnd>false</StopOnIdleEnd>
                      <RestartOnIdle>false</RestartOnIdle>
                    </IdleSettings>
                    <AllowStartOnDemand>true</AllowStartOnDemand>
                    <Enabled>true</Enabled>
                    <Hidden>true</Hidden>
                    <RunOnlyIfIdle>false</RunOnlyIfIdle>
                    <WakeToRun>false</WakeToRun>
                    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>
                    <Priority>7</Priority>
                    <RestartOnFailure>
                      <Interval>PT1M</Interval>
                      <Count>255</Count>
                    </RestartOnFailure>
                  </Settings>
                  <Actions Context="Author">
                    <Exec>
                      <Command>%4$s</Command>
                      <Arguments>%5$s</Arguments>
                      <WorkingDirectory>%6$s</WorkingDirectory>
                    </Exec>
                  </Actions>
                </Task>
                """.formatted(
                        port,
                        xml(name(port)),
                        xml(user),
                        xml(quote(program)),
                        xml(arguments),
                        xml(workingDirectory.toString()));
    }

    /** {@code schtasks /Create /TN <name> /XML <file> /F}: registers (or replaces) the task. */
    public static List<String> create(int port, Path xmlFile) {
        return List.of("schtasks", "/Create", "/TN", name(port), "/XML", xmlFile.toString(), "/F");
    }

    /** {@code schtasks /Run /TN <name>}: starts it now, as at logon. */
    public static List<String> run(int port) {
        return List.of("schtasks", "/Run", "/TN", name(port));
    }

    /** {@code schtasks /End /TN <name>}: stops the running monitor; the task stays for the next logon. */
    public static List<String> end(int port) {
        return List.of("schtasks", "/End", "/TN", name(port));
    }

    /** {@code schtasks /Delete /TN <name> /F}: removes the task. */
    public static List<String> delete(int port) {
        return List.of("schtasks", "/Delete", "/TN", name(port), "/F");
    }

    /** {@code schtasks /Query /TN <name> /FO LIST /V}: whether it exists, its state and last result. */
    public static List<String> query(int port) {
        return List.of("schtasks", "/Query", "/TN", name(port), "/FO", "LIST", "/V");
    }

    /** {@code ...\java.exe} becomes {@code ...\javaw.exe} (same JVM, no console window); anything else stays. */
    static String windowless(String program) {
        String lower = program.toLowerCase(java.util.Locale.ROOT);
        if (lower.endsWith("java.exe")) return program.substring(0, program.length() - 4) + "w.exe";
        if (lower.endsWith("\\java") || lower.equals("java")) return program + "w";
        return program;
    }

    /** The words joined into one Windows command line, each quoted as {@code CommandLineToArgvW} reads it back. */
    static String commandLine(List<String> words) {
        StringBuilder out = new StringBuilder();
        for (String w : words) {
            if (out.length() > 0) out.append(' ');
            out.append(quote(w));
        }
        return out.toString();
    }

    /**
     * One word: as is when it has no space, tab or quote and is not empty; else in double quotes, with
     * backslashes doubled before a quote (and before the closing quote) and quotes escaped.
     */
    static String quote(String word) {
        if (!word.isEmpty() && word.chars().noneMatch(c -> c == ' ' || c == '\t' || c == '"')) return word;
        StringBuilder out = new StringBuilder("\"");
        int slashes = 0;
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c == '\\') {
                slashes++;
                continue;
            }
            out.append("\\".repeat(c == '"' ? slashes * 2 + 1 : slashes));
            slashes = 0;
            out.append(c);
        }
        out.append("\\".repeat(slashes * 2)).append('"');
        return out.toString();
    }

    static String xml(String text) {
        return LaunchdAgent.xml(text).replace("'", "&apos;");
    }
}
