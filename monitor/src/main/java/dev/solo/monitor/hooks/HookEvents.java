package dev.solo.monitor.hooks;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which hook events to register for a Claude Code version. An event name that Claude Code does not
 * know made older versions ignore the whole settings file, so only known names are written.
 *
 * <ul>
 *   <li>2.1.251 and later: the 2.1.x set plus {@code PreModelSwitch}/{@code PostModelSwitch}.
 *   <li>2.1.0 to 2.1.250, and no {@code claude} on PATH: the 31 events of the hooks reference for
 *       2.1.x (snapshot of Claude Code 2.1.240).
 *   <li>older: the original nine events.
 * </ul>
 *
 * SessionStart and Setup refuse {@code "type": "http"} hooks; they get a command hook (curl).
 */
public final class HookEvents {
    static final List<String> ORIGINAL = List.of(
            "PreToolUse",
            "PostToolUse",
            "Notification",
            "UserPromptSubmit",
            "Stop",
            "SubagentStop",
            "PreCompact",
            "SessionStart",
            "SessionEnd");

    static final List<String> DOCUMENTED_2_1 = List.of(
            "SessionStart",
            "Setup",
            "InstructionsLoaded",
            "UserPromptSubmit",
            "UserPromptExpansion",
            "MessageDisplay",
            "PreToolUse",
            "PermissionRequest",
            "PermissionDenied",
            "PostToolUse",
            "PostToolUseFailure",
            "PostToolBatch",
            "Notification",
            "SubagentStart",
            "SubagentStop",
            "TaskCreated",
            "TaskCompleted",
            "Stop",
            "StopFailure",
            "TeammateIdle",
            "ConfigChange",
            "CwdChanged",
            "DirectoryAdded",
            "FileChanged",
            "WorktreeCreate",
            "WorktreeRemove",
            "PreCompact",
            "PostCompact",
            "Elicitation",
            "ElicitationResult",
            "SessionEnd");

    /** Events that refuse HTTP hooks: they get the curl command hook. */
    public static final List<String> COMMAND_ONLY = List.of("SessionStart", "Setup");

    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");

    private HookEvents() {}

    /** The events for {@code claude --version} output, or the 2.1.x set when it is empty. */
    public static List<String> forVersion(Optional<String> versionOutput) {
        if (versionOutput.isEmpty()) return DOCUMENTED_2_1;
        Matcher m = VERSION.matcher(versionOutput.get());
        if (!m.find()) return DOCUMENTED_2_1;
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        int patch = Integer.parseInt(m.group(3));
        if (major < 2 || (major == 2 && minor < 1)) return ORIGINAL;
        if (major == 2 && minor == 1 && patch < 251) return DOCUMENTED_2_1;
        List<String> all = new ArrayList<>(DOCUMENTED_2_1);
        all.add(all.indexOf("Elicitation"), "PreModelSwitch");
        all.add(all.indexOf("Elicitation"), "PostModelSwitch");
        return all;
    }
}
