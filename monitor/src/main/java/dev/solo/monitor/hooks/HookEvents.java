package dev.solo.monitor.hooks;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which hook events to register for a Claude Code version: only those the version knows. An event
 * name Claude Code does not know is an error in its settings: 2.1.197 opens a start-up dialog about
 * the settings file for {@code DirectoryAdded} (added in 2.1.219), and older versions ignored the
 * whole file, so every hook of the user would be lost.
 *
 * <p>Each event carries the first version that has it, from Claude Code's release notes ("Added X
 * hook event"). Where the notes do not say, the version is the earliest one we checked that has it:
 * {@code PermissionRequest}, {@code PostToolUseFailure} and {@code SubagentStart} predate the 2.1.x
 * notes (2.1.0); {@code UserPromptExpansion} and {@code PostToolBatch} are in the event list of the
 * 2.1.197 binary, which lists exactly the 30 events this table gives 2.1.197. Before 2.1 only the
 * original nine. With no version (no {@code claude} on PATH) the set of the hooks reference snapshot
 * of 2.1.240 (31 events). {@code SessionStart} and {@code Setup} refuse {@code "type": "http"} hooks;
 * they get a command hook (curl).
 */
public final class HookEvents {
    /** A version {@code major.minor.patch}, ordered. */
    record Version(int major, int minor, int patch) implements Comparable<Version> {
        private static final Pattern FORMAT = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");

        /** The first {@code x.y.z} in {@code text} (e.g. {@code claude --version}'s "2.1.197 (Claude Code)"). */
        static Optional<Version> find(String text) {
            Matcher m = FORMAT.matcher(text);
            if (!m.find()) return Optional.empty();
            try {
                return Optional.of(new Version(
                        Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))));
            } catch (NumberFormatException tooLong) {
                return Optional.empty();
            }
        }

        static Version of(String text) {
            return find(text).orElseThrow(() -> new IllegalArgumentException("not a version x.y.z: " + text));
        }

        @Override
        public int compareTo(Version o) {
            if (major != o.major) return Integer.compare(major, o.major);
            if (minor != o.minor) return Integer.compare(minor, o.minor);
            return Integer.compare(patch, o.patch);
        }

        @Override
        public String toString() {
            return major + "." + minor + "." + patch;
        }
    }

    /** An event and the first Claude Code version that knows it. */
    record Known(String event, Version since) {}

    private static final String ALWAYS = "0.0.0";
    /** The version of the hooks reference snapshot the set without a version follows. */
    static final Version DOCUMENTED = Version.of("2.1.240");

    /** Every event we register, in the order they are written, with the version that added it. */
    static final List<Known> EVENTS = List.of(
            known("SessionStart", ALWAYS),
            known("Setup", "2.1.10"),
            known("InstructionsLoaded", "2.1.69"),
            known("UserPromptSubmit", ALWAYS),
            known("UserPromptExpansion", "2.1.197"),
            known("MessageDisplay", "2.1.152"),
            known("PreToolUse", ALWAYS),
            known("PermissionRequest", "2.1.0"),
            known("PermissionDenied", "2.1.88"),
            known("PostToolUse", ALWAYS),
            known("PostToolUseFailure", "2.1.0"),
            known("PostToolBatch", "2.1.197"),
            known("Notification", ALWAYS),
            known("SubagentStart", "2.1.0"),
            known("SubagentStop", ALWAYS),
            known("TaskCreated", "2.1.84"),
            known("TaskCompleted", "2.1.33"),
            known("Stop", ALWAYS),
            known("StopFailure", "2.1.78"),
            known("TeammateIdle", "2.1.33"),
            known("ConfigChange", "2.1.49"),
            known("CwdChanged", "2.1.83"),
            known("DirectoryAdded", "2.1.219"),
            known("FileChanged", "2.1.83"),
            known("WorktreeCreate", "2.1.50"),
            known("WorktreeRemove", "2.1.50"),
            known("PreCompact", ALWAYS),
            known("PostCompact", "2.1.76"),
            known("PreModelSwitch", "2.1.251"),
            known("PostModelSwitch", "2.1.251"),
            known("Elicitation", "2.1.76"),
            known("ElicitationResult", "2.1.76"),
            known("SessionEnd", ALWAYS));

    /** Events that refuse HTTP hooks: they get the curl command hook. */
    public static final List<String> COMMAND_ONLY = List.of("SessionStart", "Setup");

    private HookEvents() {}

    private static Known known(String event, String since) {
        return new Known(event, Version.of(since));
    }

    /**
     * The events for {@code claude --version} output: those its version knows. Empty output, or output
     * without a version, gets the documented 2.1.x set (the hooks reference snapshot of 2.1.240).
     */
    public static List<String> forVersion(Optional<String> versionOutput) {
        Version v = versionOutput.flatMap(Version::find).orElse(DOCUMENTED);
        List<String> out = new ArrayList<>();
        for (Known k : EVENTS) if (k.since().compareTo(v) <= 0) out.add(k.event());
        return List.copyOf(out);
    }
}
