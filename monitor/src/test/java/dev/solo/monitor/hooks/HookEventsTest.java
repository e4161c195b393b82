package dev.solo.monitor.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The event set per Claude Code version: never an event the version does not know. */
class HookEventsTest {
    /**
     * The hook events Claude Code 2.1.197 knows: the list in its binary (npm {@code
     * @anthropic-ai/claude-code-linux-x64} 2.1.197, the array of event names its settings schema is
     * built from), in that order. It has no {@code DirectoryAdded}: with it in the settings, 2.1.197
     * opens a dialog about invalid settings at start-up.
     */
    static final List<String> KNOWN_BY_2_1_197 = List.of(
            "PreToolUse",
            "PostToolUse",
            "PostToolUseFailure",
            "PostToolBatch",
            "Notification",
            "UserPromptSubmit",
            "UserPromptExpansion",
            "SessionStart",
            "SessionEnd",
            "Stop",
            "StopFailure",
            "SubagentStart",
            "SubagentStop",
            "PreCompact",
            "PostCompact",
            "PermissionRequest",
            "PermissionDenied",
            "Setup",
            "TeammateIdle",
            "TaskCreated",
            "TaskCompleted",
            "Elicitation",
            "ElicitationResult",
            "ConfigChange",
            "WorktreeCreate",
            "WorktreeRemove",
            "InstructionsLoaded",
            "CwdChanged",
            "FileChanged",
            "MessageDisplay");

    /** The same list in the 2.1.332 binary: the 33 of 2.1.251+ and one we do not register yet. */
    static final List<String> KNOWN_BY_2_1_332 = List.of(
            "PreToolUse",
            "PostToolUse",
            "PostToolUseFailure",
            "PostToolBatch",
            "Notification",
            "UserPromptSubmit",
            "UserPromptExpansion",
            "SessionStart",
            "SessionEnd",
            "Stop",
            "StopFailure",
            "SubagentStart",
            "SubagentStop",
            "PreCompact",
            "PostCompact",
            "PreModelSwitch",
            "PostModelSwitch",
            "PermissionRequest",
            "PermissionDenied",
            "Setup",
            "TeammateIdle",
            "TaskCreated",
            "TaskCompleted",
            "Elicitation",
            "ElicitationResult",
            "ConfigChange",
            "WorktreeCreate",
            "WorktreeRemove",
            "InstructionsLoaded",
            "CwdChanged",
            "FileChanged",
            "DirectoryAdded",
            "MessageDisplay",
            "PreSkillShellCommand");

    static List<String> of(String versionOutput) {
        return HookEvents.forVersion(Optional.ofNullable(versionOutput));
    }

    @Test
    void claudeCode2_1_197GetsExactlyTheEventsItKnows() {
        assertThat(of("2.1.197 (Claude Code)")).containsExactlyInAnyOrderElementsOf(KNOWN_BY_2_1_197);
        assertThat(of("2.1.197 (Claude Code)")).doesNotContain("DirectoryAdded");
    }

    @Test
    void claudeCode2_1_332KnowsEveryEventItGets() {
        assertThat(KNOWN_BY_2_1_332).containsAll(of("2.1.332 (Claude Code)"));
    }

    @Test
    void directoryAddedFromTheReleaseThatAddedIt() {
        assertThat(of("2.1.218 (Claude Code)")).doesNotContain("DirectoryAdded");
        assertThat(of("2.1.219 (Claude Code)")).contains("DirectoryAdded");
    }

    /** Every event appears from the version that added it, and not one patch release before. */
    @Test
    void eachEventStartsAtItsVersion() {
        for (HookEvents.Known k : HookEvents.EVENTS) {
            HookEvents.Version v = k.since();
            assertThat(of(v.toString())).as("%s at %s", k.event(), v).contains(k.event());
            if (v.patch() > 0) {
                String before = v.major() + "." + v.minor() + "." + (v.patch() - 1);
                assertThat(of(before)).as("%s at %s", k.event(), before).doesNotContain(k.event());
            }
        }
    }

    @ParameterizedTest(name = "{0}: {1} events")
    @CsvSource(
            nullValues = "none",
            value = {
                "none, 31", // no claude on PATH: the hooks reference snapshot of 2.1.240
                "claude: command not found, 31",
                "1.0.128 (Claude Code), 9",
                "2.0.76 (Claude Code), 9",
                "2.1.0 (Claude Code), 12",
                "2.1.197 (Claude Code), 30",
                "2.1.250 (Claude Code), 31",
                "2.1.251 (Claude Code), 33",
                "2.1.332 (Claude Code), 33",
                "3.0.0 (Claude Code), 33"
            })
    void eventCountsPerVersion(String output, int count) {
        List<String> events = of(output);
        assertThat(events).hasSize(count).doesNotHaveDuplicates().contains("PreToolUse", "SessionStart", "Stop");
    }

    @Test
    void theOriginalNineBefore2_1() {
        assertThat(of("2.0.76 (Claude Code)"))
                .containsExactly(
                        "SessionStart",
                        "UserPromptSubmit",
                        "PreToolUse",
                        "PostToolUse",
                        "Notification",
                        "SubagentStop",
                        "Stop",
                        "PreCompact",
                        "SessionEnd");
    }

    @Test
    void theCommandOnlyEventsAreKnownEvents() {
        List<String> all =
                HookEvents.EVENTS.stream().map(HookEvents.Known::event).toList();
        assertThat(all).containsAll(HookEvents.COMMAND_ONLY).doesNotHaveDuplicates();
    }
}
