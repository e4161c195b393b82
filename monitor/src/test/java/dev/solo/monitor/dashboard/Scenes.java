package dev.solo.monitor.dashboard;

/** Data sets for the browser tests and screenshots, built from the real hook fixtures. */
final class Scenes {
    private Scenes() {}

    /** Four sessions: one working through tools and an edit, one waiting for a permission, a subagent, an unknown. */
    static void busy(Monitor m) {
        m.postFixture("SessionStart");
        m.postFixture("UserPromptSubmit");
        m.postFixture("PreToolUse");
        m.postFixture("PostToolUse");
        m.postFixture("variants/PreToolUse.Bash-false");
        m.postFixture("PostToolUseFailure");
        m.postFixture("variants/PreToolUse.Bash-grep");
        m.postFixture("variants/PostToolUse.Bash-grep-returnCodeInterpretation");
        m.postFixture("variants/PostToolUse.Edit");
        m.postFixture("variants/PreToolUse.Read");
        m.postFixture("variants/PostToolUse.Read");
        m.postFixture("SubagentStart");
        m.postFixture("SubagentStop");
        m.postFixture("variants/PreToolUse.subagent-Bash-2.1.283");
        m.post(
                "{\"session_id\":\"7c1d0e55-unknown\",\"hook_event_name\":\"FancyNewEvent\",\"cwd\":\"/home/me/web-app\","
                        + "\"shiny\":\"a field no version of solo knows\"}");
        m.postFixture("PermissionRequest");
    }
}
