package dev.solo.monitor.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.solo.monitor.security.IngestKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the installed hooks carry, and how stale ones are told and replaced. */
class HooksInstallerTest {
    static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theCurlHookReadsTheKeyFromItsFileQuotedForTheShell() {
        String cmd = HooksInstaller.curl("http://127.0.0.1:8765/api/hooks", Path.of("/home/o'neil/.solo/ingest-key"));
        assertThat(cmd)
                .contains("-H @'/home/o'\\''neil/.solo/ingest-key'")
                .contains("-H 'X-Solo-Monitor: 1'")
                .doesNotContain("Authorization")
                .endsWith("http://127.0.0.1:8765/api/hooks >/dev/null 2>&1 || true");
    }

    @Test
    void hooksOfAnotherKeyOrTheTokenAreStaleUntilReinstalled() throws Exception {
        Path settings = dir.resolve("settings.json");
        IngestKey old = IngestKey.loadOrCreate(dir.resolve("a"));
        HooksInstaller.install(settings, List.of("SessionStart", "PreToolUse"), 8765, old);
        IngestKey current = IngestKey.loadOrCreate(dir.resolve("b"));
        assertThat(HooksInstaller.status(settings, old, null).stale()).isEmpty();
        var s = HooksInstaller.status(settings, current, null);
        assertThat(s.events()).containsExactly("SessionStart", "PreToolUse");
        assertThat(s.stale()).containsExactly("SessionStart", "PreToolUse");
        assertThat(s.token()).isFalse();
        assertThat(HooksInstaller.status(settings, null, null).stale()).hasSize(2);
        assertThat(HooksInstaller.reinstall(settings, current)).isEqualTo(2);
        assertThat(HooksInstaller.status(settings, current, null).stale()).isEmpty();
        assertThat(Files.readString(settings)).doesNotContain(old.value()).contains(current.value());
        assertThat(HooksInstaller.status(settings, current, "f".repeat(64)).token())
                .isFalse();
    }

    static final List<String> EVENTS = List.of("SessionStart", "PreToolUse", "Stop", "Notification", "SessionEnd");

    /** Files as people write them: tabs, one-liners, their own hooks on our events and others, 1.50, unicode. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\n\t\"model\":\"opus\",\n  \"hooks\": {\n    \"PreToolUse\": [\n      {\"matcher\": \"Bash\","
                        + " \"hooks\": [{\"type\": \"command\", \"command\": \"echo 'pré ✓' >> /tmp/x\"}]}\n    ],\n"
                        + "    \"Stop\": [{\"hooks\":[{\"type\":\"command\",\"command\":\"true\",\"timeout\":3}]}]\n  },\n"
                        + "  \"permissions\": {\"allow\": [\"Bash(ls:*)\"], \"n\": 1.50, \"big\": 12345678901234567890}\n}\n",
                "{\"model\":\"opus\"}",
                "{}",
                "{ }\n",
                "{\r\n  \"env\": {}\r\n}\r\n",
                "{\"hooks\":{\"UserPromptSubmit\":[]},\"env\":{\"A\":\"\\u00e9\\\"\"}}"
            })
    void installAndUninstallGiveBackTheUsersFileByteForByte(String mine) throws Exception {
        Path settings = dir.resolve("settings.json");
        Files.writeString(settings, mine);
        IngestKey key = IngestKey.loadOrCreate(dir.resolve("a"));
        HooksInstaller.install(settings, EVENTS, 8765, key, "'/x/monitor-autostart' --port 8765");
        HooksInstaller.install(settings, EVENTS, 8766, key); // again: still one of ours per event
        JsonNode both = MAPPER.readTree(Files.readString(settings));
        assertThat(HooksInstaller.status(settings, key, null).events()).containsExactlyInAnyOrderElementsOf(EVENTS);
        JsonNode theirs = MAPPER.readTree(mine);
        theirs.fields().forEachRemaining(f -> {
            if (!f.getKey().equals("hooks")) assertThat(both.get(f.getKey())).isEqualTo(f.getValue());
        });
        assertThat(HooksInstaller.reinstall(settings, IngestKey.loadOrCreate(dir.resolve("b"))))
                .isEqualTo(EVENTS.size());
        assertThat(HooksInstaller.uninstall(settings, false)).isEqualTo(EVENTS.size());
        assertThat(Files.readString(settings)).isEqualTo(mine);
    }

    @Test
    void aFileThatHeldOnlyOursIsRemovedWhenInstallMadeIt() throws Exception {
        Path settings = dir.resolve(".claude").resolve("settings.json");
        HooksInstaller.install(settings, EVENTS, 8765, IngestKey.loadOrCreate(dir.resolve("a")));
        assertThat(MAPPER.readTree(Files.readString(settings)).get("hooks").size())
                .isEqualTo(EVENTS.size());
        assertThat(HooksInstaller.uninstall(settings, true)).isEqualTo(EVENTS.size());
        assertThat(settings.getParent()).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"hooks\": \"mine\"}", "{\"hooks\": {\"Stop\": \"x\"}}", "[1]", "{\"a\": 1,}", "{} {}"})
    void aFileOfAnotherShapeIsRefusedAndLeftAsItWas(String mine) throws Exception {
        Path settings = dir.resolve("settings.json");
        Files.writeString(settings, mine);
        assertThatThrownBy(() -> HooksInstaller.install(settings, EVENTS, 8765, IngestKey.loadOrCreate(dir)))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageStartingWith(mine.startsWith("{\"hooks\"") ? "\"hooks" : settings.toString())
                .hasMessageContaining("othing was changed");
        assertThat(Files.readString(settings)).isEqualTo(mine);
    }

    @Test
    void aSettingsFileThatIsASymbolicLinkStaysOneAndItsTargetIsWritten() throws Exception {
        Path real = Files.createDirectories(dir.resolve("dotfiles")).resolve("settings.json");
        Files.writeString(real, "{\"model\": \"opus\"}\n");
        Path settings = Files.createDirectories(dir.resolve(".claude")).resolve("settings.json");
        Files.createSymbolicLink(settings, Path.of("../dotfiles/settings.json"));
        HooksInstaller.install(settings, EVENTS, 8765, IngestKey.loadOrCreate(dir));
        assertThat(Files.isSymbolicLink(settings)).isTrue();
        assertThat(HooksInstaller.status(real, null, null).events()).containsExactlyElementsOf(EVENTS);
        HooksInstaller.uninstall(settings, false);
        assertThat(Files.isSymbolicLink(settings)).isTrue();
        assertThat(Files.readString(real)).isEqualTo("{\"model\": \"opus\"}\n");
        assertThat(dir.resolve(".claude")).isDirectoryNotContaining(p -> !p.equals(settings));
    }

    @Test
    void aReadOnlySettingsFileIsRefusedAndLeftAsItWas() throws Exception {
        Path settings = dir.resolve("settings.json");
        Files.writeString(settings, "{\"model\": \"opus\"}");
        Files.setPosixFilePermissions(settings, PosixFilePermissions.fromString("r--r--r--"));
        assertThatThrownBy(() -> HooksInstaller.install(settings, EVENTS, 8765, IngestKey.loadOrCreate(dir)))
                .hasMessage(settings + " is read-only (r--r--r--). Make it writable ('chmod u+w " + settings
                        + "') if solo may change it, then run the command again. Nothing was changed.");
        assertThat(Files.readString(settings)).isEqualTo("{\"model\": \"opus\"}");
        assertThat(Files.getPosixFilePermissions(settings)).isEqualTo(PosixFilePermissions.fromString("r--r--r--"));
        assertThat(dir).isDirectoryNotContaining(p -> p.getFileName().toString().endsWith(".tmp"));
    }

    /** With 5 s, Claude Code killed a SessionStart hook whose monitor start took longer, and the start with it. */
    @Test
    void theHookThatStartsAMonitorWaitsForTheWholeStartTheOthersFiveSeconds() throws Exception {
        Path settings = dir.resolve("settings.json");
        HooksInstaller.install(
                settings, EVENTS, 8765, IngestKey.loadOrCreate(dir), "'/x/monitor-autostart' --port 8765");
        JsonNode hooks = MAPPER.readTree(Files.readString(settings)).get("hooks");
        JsonNode start = hooks.get("SessionStart").get(0).get("hooks").get(0);
        assertThat(start.get("command").asText()).contains("monitor-autostart");
        assertThat(start.get("timeout").asInt()).isGreaterThanOrEqualTo(5 + 30 + 5);
        assertThat(hooks.get("Stop").get(0).get("hooks").get(0).get("timeout").asInt())
                .isEqualTo(5);
        HooksInstaller.install(settings, EVENTS, 8765, IngestKey.loadOrCreate(dir)); // no autostart: 5 s
        JsonNode plain =
                MAPPER.readTree(Files.readString(settings)).get("hooks").get("SessionStart");
        assertThat(plain.get(0).get("hooks").get(0).get("timeout").asInt()).isEqualTo(5);
    }
}
