package dev.solo.monitor.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.solo.monitor.security.IngestKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the installed hooks carry, and how stale ones are told and replaced. */
class HooksInstallerTest {
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
}
